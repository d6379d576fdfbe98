package dev.foyer.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes problem+json straight to a servlet response, for refusals that happen in filters (authentication,
 * body size) before Spring MVC and {@link ApiExceptionHandler} are reached. Same shape as the handler's.
 */
public final class ProblemResponses {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ProblemResponses() {
	}

	public static void write(HttpServletResponse response, HttpStatus status, String detail, String instance,
			List<ApiException.FieldProblem> fields) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(body(status, detail, instance, fields));
	}

	/**
	 * Whether the caller is a browser that asked for a page (its Accept names text/html), which gets Foyer's error
	 * page rather than problem+json. Apps and scripts name JSON or nothing, or accept anything.
	 */
	public static boolean wantsPage(HttpServletRequest request) {
		String accept = request.getHeader("Accept");
		if (accept == null || !accept.contains("html")) {
			return false;
		}
		try {
			return MediaType.parseMediaTypes(accept)
				.stream()
				.anyMatch(type -> MediaType.TEXT_HTML.equalsTypeAndSubtype(type) && type.getQualityValue() > 0);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/** The problem+json text, for a writer that is not the response's own (Tomcat's error report). */
	static String body(HttpStatus status, String detail, String instance, List<ApiException.FieldProblem> fields) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", "about:blank");
		body.put("title", status.getReasonPhrase());
		body.put("status", status.value());
		body.put("detail", detail);
		body.put("instance", instance);
		String requestId = MDC.get(RequestLogFilter.REQUEST_ID);
		if (requestId != null) {
			body.put("requestId", requestId);
		}
		if (!fields.isEmpty()) {
			body.put("errors", fields.stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
		}
		return JSON.writeValueAsString(body);
	}

}
