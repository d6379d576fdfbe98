package dev.foyer.web;

import java.util.Map;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/** Adds the request id to Spring Boot's error answers (page and JSON), so a person's report finds the log line. */
@Component
class RequestIdErrorAttributes extends DefaultErrorAttributes {

	@Override
	public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
		Map<String, Object> attributes = super.getErrorAttributes(request, options);
		Object requestId = request.getAttribute(RequestLogFilter.REQUEST_ID_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		if (requestId != null) {
			attributes.put("requestId", requestId);
		}
		return attributes;
	}

}
