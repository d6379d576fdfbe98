package dev.foyer.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.foyer.config.BaseUrl;

/**
 * Makes every request look as if it came in at {@code FOYER_BASE_URL}. Issuers, endpoint URLs in discovery and
 * redirects are then built from the configured base URL, never from a Host header a client chose.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public class BaseUrlFilter extends OncePerRequestFilter {

	private final String scheme;

	private final String host;

	private final int port;

	public BaseUrlFilter(BaseUrl baseUrl) {
		this.scheme = baseUrl.uri().getScheme().toLowerCase(java.util.Locale.ROOT);
		this.host = baseUrl.uri().getHost();
		int configured = baseUrl.uri().getPort();
		this.port = configured != -1 ? configured : (this.scheme.equals("https") ? 443 : 80);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new HttpServletRequestWrapper(request) {
			@Override
			public String getScheme() {
				return BaseUrlFilter.this.scheme;
			}

			@Override
			public String getServerName() {
				return BaseUrlFilter.this.host;
			}

			@Override
			public int getServerPort() {
				return BaseUrlFilter.this.port;
			}

			@Override
			public boolean isSecure() {
				return BaseUrlFilter.this.scheme.equals("https");
			}

			@Override
			public StringBuffer getRequestURL() {
				StringBuffer url = new StringBuffer(BaseUrlFilter.this.scheme).append("://").append(BaseUrlFilter.this.host);
				boolean defaultPort = (BaseUrlFilter.this.scheme.equals("https") && BaseUrlFilter.this.port == 443)
						|| (BaseUrlFilter.this.scheme.equals("http") && BaseUrlFilter.this.port == 80);
				if (!defaultPort) {
					url.append(':').append(BaseUrlFilter.this.port);
				}
				return url.append(getRequestURI());
			}
		}, response);
	}

}
