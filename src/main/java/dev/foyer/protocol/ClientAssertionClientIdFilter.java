package dev.foyer.protocol;

import java.io.IOException;
import java.text.ParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.nimbusds.jwt.JWTParser;

/**
 * RFC 7523 makes {@code client_id} optional beside a {@code client_assertion}; Spring Authorization Server requires
 * it. Where a client leaves it out, it is taken from the assertion's {@code sub} (which must name the client
 * anyway), before the assertion is verified against that client's registered keys.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6)
class ClientAssertionClientIdFilter extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith("/t/")
				|| request.getParameter("client_assertion") == null || request.getParameter("client_id") != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String subject;
		try {
			subject = JWTParser.parse(request.getParameter("client_assertion")).getJWTClaimsSet().getSubject();
		}
		catch (ParseException ex) {
			subject = null;
		}
		if (subject == null) {
			chain.doFilter(request, response);
			return;
		}
		Map<String, String[]> parameters = new HashMap<>(request.getParameterMap());
		parameters.put("client_id", new String[] { subject });
		chain.doFilter(new HttpServletRequestWrapper(request) {
			@Override
			public String getParameter(String name) {
				String[] values = parameters.get(name);
				return values == null ? null : values[0];
			}

			@Override
			public Map<String, String[]> getParameterMap() {
				return Collections.unmodifiableMap(parameters);
			}

			@Override
			public java.util.Enumeration<String> getParameterNames() {
				return Collections.enumeration(parameters.keySet());
			}

			@Override
			public String[] getParameterValues(String name) {
				return parameters.get(name);
			}
		}, response);
	}

}
