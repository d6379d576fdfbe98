package dev.foyer.web;

import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error of the admin API as RFC 9457 problem+json: status, title, detail, the request id that is also in
 * the log, and field-level messages where the request had bad fields. Never a stack trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(ApiException.class)
	ResponseEntity<Object> api(ApiException ex, WebRequest request) {
		return problem(ex.status(), ex.getMessage(), ex.fieldProblems(), request);
	}

	@ExceptionHandler(DuplicateKeyException.class)
	ResponseEntity<Object> duplicate(DuplicateKeyException ex, WebRequest request) {
		// The pre-checks give a precise message; this only answers a race between two writers.
		return problem(HttpStatus.CONFLICT, "A resource with the same unique value already exists", List.of(), request);
	}

	/**
	 * PostgreSQL refuses a NUL character in any text it is given (SQLSTATE 22021), even one only compared, such as an
	 * id in a JSON body; H2 takes it and finds nothing. Text fields refuse control characters before this
	 * (FieldChecks); this answers the values that are looked up rather than stored. Nothing was written.
	 */
	@ExceptionHandler(DataIntegrityViolationException.class)
	ResponseEntity<Object> unstorable(DataIntegrityViolationException ex, WebRequest request) {
		if (ex.getMostSpecificCause() instanceof SQLException sql && "22021".equals(sql.getSQLState())) {
			return problem(HttpStatus.BAD_REQUEST, "The request holds a NUL character, which no field of Foyer's takes",
					List.of(), request);
		}
		return unexpected(ex, request);
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException ex, WebRequest request) {
		return problem(HttpStatus.BAD_REQUEST, "The request has invalid parameters",
				List.of(new ApiException.FieldProblem(ex.getName(), "has an invalid value")), request);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		log.error("Unexpected error answering {}", describe(request), ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR,
				"An unexpected error occurred. Quote the request id when reporting it.", List.of(), request);
	}

	/** A path no endpoint answers: said so, not in Spring's words about a missing static resource. */
	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		if (request instanceof ServletWebRequest servlet && !servlet.getRequest().getRequestURI().startsWith("/api/")
				&& ProblemResponses.wantsPage(servlet.getRequest()) && servlet.getResponse() != null) {
			// A person at a wrong address gets the error page, which says the page does not exist.
			try {
				servlet.getResponse().sendError(HttpStatus.NOT_FOUND.value());
				return null;
			}
			catch (IOException | IllegalStateException failed) {
				// Already answered in part: the problem below is all that can be sent.
			}
		}
		return problem(HttpStatus.NOT_FOUND, "There is nothing at this path", List.of(), request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex.getMostSpecificCause();
		ApiException.FieldProblem field = cause instanceof JacksonException json ? fieldProblem(json) : null;
		if (field == null || field.field() == null) {
			return problem(HttpStatus.BAD_REQUEST, "The request body is missing or is not valid JSON", List.of(), request);
		}
		return problem(HttpStatus.BAD_REQUEST, cause instanceof UnrecognizedPropertyException
				? "The request body has an unknown field" : "The request body has a field of the wrong type",
				List.of(field), request);
	}

	/**
	 * What a JSON mapping failure says about the input: the unknown or mistyped field, by its path; or, with a null
	 * field, that the text is not JSON of the expected shape. Never the parser's own message, which quotes internals.
	 */
	public static ApiException.FieldProblem fieldProblem(JacksonException ex) {
		if (ex instanceof UnrecognizedPropertyException unknown) {
			return new ApiException.FieldProblem(path(unknown), "is not a known field");
		}
		if (!ex.getPath().isEmpty()) {
			return new ApiException.FieldProblem(path(ex), "has the wrong type or format");
		}
		return new ApiException.FieldProblem(null, "is not valid JSON");
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail detail) {
			decorate(detail, request);
		}
		return response;
	}

	private static String path(JacksonException ex) {
		return ex.getPath()
			.stream()
			.map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
			.collect(Collectors.joining("."))
			.replace(".[", "[");
	}

	static ResponseEntity<Object> problem(HttpStatus status, String detail, List<ApiException.FieldProblem> fields,
			WebRequest request) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
		if (!fields.isEmpty()) {
			body.setProperty("errors", fields.stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
		}
		decorate(body, request);
		return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(body);
	}

	private static void decorate(ProblemDetail body, WebRequest request) {
		if (request instanceof ServletWebRequest servlet) {
			body.setInstance(URI.create(servlet.getRequest().getRequestURI()));
		}
		String requestId = MDC.get(RequestLogFilter.REQUEST_ID);
		if (requestId != null) {
			body.setProperty("requestId", requestId);
		}
	}

	private static String describe(WebRequest request) {
		return request instanceof ServletWebRequest servlet
				? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI() : request.toString();
	}

}
