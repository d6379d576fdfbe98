package dev.foyer.web;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per request, with a request id that is also returned as {@code X-Request-Id}, put in every
 * log line written while serving it, and quoted in error answers, so that a user's report finds the log.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestLogFilter extends OncePerRequestFilter {

	public static final String REQUEST_ID = "requestId";

	static final String HEADER = "X-Request-Id";

	/** The request id as a request attribute, for error pages rendered after this filter has returned. */
	public static final String REQUEST_ID_ATTRIBUTE = RequestLogFilter.class.getName() + ".requestId";

	private static final Pattern ACCEPTED_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");

	private static final Logger log = LoggerFactory.getLogger("dev.foyer.request");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String incoming = request.getHeader(HEADER);
		String requestId = incoming != null && ACCEPTED_ID.matcher(incoming).matches() ? incoming : newId();
		long start = System.nanoTime();
		MDC.put(REQUEST_ID, requestId);
		request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
		response.setHeader(HEADER, requestId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (log.isInfoEnabled()) {
				log.info("{} {} {} {}ms", request.getMethod(), request.getRequestURI(), response.getStatus(),
						(System.nanoTime() - start) / 1_000_000);
			}
			MDC.remove(REQUEST_ID);
		}
	}

	private static String newId() {
		return UUID.randomUUID().toString();
	}

}
