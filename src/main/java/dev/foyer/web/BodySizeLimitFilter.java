package dev.foyer.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses admin API bodies over {@link #MAX_BYTES} with 413, whether or not they announce their length, before
 * any of them is parsed. A bulk import is the exception: it streams a body of any size one line at a time, and its
 * reader bounds each line (directory.AccountImport).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 4)
public class BodySizeLimitFilter extends OncePerRequestFilter {

	static final int MAX_BYTES = 1024 * 1024;

	private static final java.util.regex.Pattern STREAMED = java.util.regex.Pattern
		.compile("/api/v1/tenants/[^/]+/users/import");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/") || STREAMED.matcher(request.getRequestURI()).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > MAX_BYTES) {
			tooLarge(request, response);
			return;
		}
		LimitedRequest limited = new LimitedRequest(request);
		try {
			chain.doFilter(limited, response);
		}
		catch (ServletException | RuntimeException ex) {
			if (limited.exceeded && !response.isCommitted()) {
				response.reset();
				tooLarge(request, response);
				return;
			}
			throw ex;
		}
		if (limited.exceeded && !response.isCommitted()) {
			response.reset();
			tooLarge(request, response);
		}
	}

	private static void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
		ProblemResponses.write(response, HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than " + MAX_BYTES + " bytes", request.getRequestURI(), List.of());
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private boolean exceeded;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				ServletInputStream in = super.getInputStream();
				this.stream = new ServletInputStream() {
					private long count;

					@Override
					public int read() throws IOException {
						int b = in.read();
						if (b >= 0) {
							count(1);
						}
						return b;
					}

					@Override
					public int read(byte[] buffer, int offset, int length) throws IOException {
						int n = in.read(buffer, offset, length);
						if (n > 0) {
							count(n);
						}
						return n;
					}

					private void count(int n) throws IOException {
						this.count += n;
						if (this.count > MAX_BYTES) {
							LimitedRequest.this.exceeded = true;
							throw new IOException("Request body exceeds " + MAX_BYTES + " bytes");
						}
					}

					@Override
					public boolean isFinished() {
						return in.isFinished();
					}

					@Override
					public boolean isReady() {
						return in.isReady();
					}

					@Override
					public void setReadListener(ReadListener listener) {
						in.setReadListener(listener);
					}
				};
			}
			return this.stream;
		}

	}


}
