package dev.foyer.web;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The answer to a request that Tomcat refuses before any of Foyer's code sees it: an encoded NUL or a {@code ..} that
 * leaves the root in its path, for example. Tomcat's own page names Tomcat and carries none of the security headers
 * that every other answer has; this one is a short page of Foyer's with them, or problem+json on the admin API.
 */
@Configuration(proxyBeanMethods = false)
class ServerErrorPages {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> foyerErrorReport(SecurityHeaders securityHeaders) {
		// The host's first error-report valve answers; Spring Boot adds Tomcat's own, without its report, after this.
		return factory -> factory
			.addContextCustomizers(context -> context.getParent().getPipeline().addValve(new Report(securityHeaders)));
	}

	static final class Report extends ErrorReportValve {

		private static final Logger log = LoggerFactory.getLogger(ServerErrorPages.class);

		private final SecurityHeaders securityHeaders;

		Report(SecurityHeaders securityHeaders) {
			this.securityHeaders = securityHeaders;
		}

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int status = response.getStatus();
			if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			AtomicBoolean writable = new AtomicBoolean();
			response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
			if (!writable.get()) {
				return;
			}
			// The admin API's clients read problem+json, as from every other refusal of the API; people get a page.
			boolean api = request.getRequestURI() != null && request.getRequestURI().startsWith("/api/");
			String answer;
			if (api) {
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				HttpStatus known = HttpStatus.resolve(status);
				answer = ProblemResponses.body(known != null ? known : HttpStatus.BAD_REQUEST, status < 500 ? "The request could not be accepted"
						: "An unexpected error occurred", request.getRequestURI(), List.of());
			}
			else {
				response.setContentType("text/html");
				String title = status == 400 ? "Bad request" : status < 500 ? "Request refused" : "Server error";
				String text = status < 500 ? "Foyer could not accept this request. Check the address and try again."
						: "Foyer could not answer this request. Please try again later.";
				answer = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
						+ "</title></head><body><h1>" + title + "</h1><p>" + text + "</p></body></html>";
			}
			response.setCharacterEncoding("UTF-8");
			this.securityHeaders.writeTo(response);
			response.setHeader("Cache-Control", "no-store");
			try {
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write(answer);
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				log.debug("Could not write the {} page: {}", status, ex.toString());
			}
		}

	}

}
