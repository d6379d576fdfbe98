package dev.foyer.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Spring Boot's error answer for errors raised outside the controllers (a request refused by Spring Security's
 * firewall, a protocol endpoint's 400 to a client that is not a browser) as RFC 9457 problem+json, like every other
 * error of the API, instead of Boot's own JSON. Browsers still get the error page.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController extends BasicErrorController {

	ProblemErrorController(ErrorAttributes errorAttributes, WebProperties web, List<ErrorViewResolver> views) {
		super(errorAttributes, web.getError(), views);
	}

	@Override
	public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
		HttpStatus status = getStatus(request);
		if (status == HttpStatus.NO_CONTENT) {
			return new ResponseEntity<>(status);
		}
		Map<String, Object> attributes = getErrorAttributes(request, ErrorAttributeOptions.defaults());
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", status.is4xxClientError() ? "The request could not be accepted"
				: "An unexpected error occurred. Quote the request id when reporting it.");
		problem.put("instance", attributes.get("path"));
		if (attributes.get("requestId") != null) {
			problem.put("requestId", attributes.get("requestId"));
		}
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
