package dev.foyer.web;

import java.io.IOException;
import java.io.Writer;
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

/**
 * The answer to a request that Tomcat refuses before any of Foyer's code sees it: an encoded NUL or a {@code ..} that
 * leaves the root in its path, for example. Tomcat's own page names Tomcat and carries none of the security headers
 * that every other answer has; this one is a short page of Foyer's with them.
 */
@Configuration(proxyBeanMethods = false)
class ServerErrorPages {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> foyerErrorReport(SecurityHeaders securityHeaders) {
		// The host's first error-report valve answers; Spring Boot adds Tomcat's own, without its report, after this.
		boolean hsts = securityHeaders.strictTransportSecurity();
		return factory -> factory.addContextCustomizers(context -> context.getParent().getPipeline().addValve(new Report(hsts)));
	}

	static final class Report extends ErrorReportValve {

		private static final Logger log = LoggerFactory.getLogger(ServerErrorPages.class);

		private final boolean strictTransportSecurity;

		Report(boolean strictTransportSecurity) {
			this.strictTransportSecurity = strictTransportSecurity;
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
			String title = status == 400 ? "Bad request" : status < 500 ? "Request refused" : "Server error";
			String text = status < 500 ? "Foyer could not accept this request. Check the address and try again."
					: "Foyer could not answer this request. Please try again later.";
			response.setContentType("text/html");
			response.setCharacterEncoding("UTF-8");
			response.setHeader("Content-Security-Policy", SecurityHeaders.CONTENT_SECURITY_POLICY);
			response.setHeader("X-Content-Type-Options", "nosniff");
			response.setHeader("X-Frame-Options", "DENY");
			response.setHeader("Referrer-Policy", "no-referrer");
			response.setHeader("Cache-Control", "no-store");
			if (this.strictTransportSecurity) {
				response.setHeader("Strict-Transport-Security", SecurityHeaders.STRICT_TRANSPORT_SECURITY);
			}
			try {
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
							+ "</title></head><body><h1>" + title + "</h1><p>" + text + "</p></body></html>");
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				log.debug("Could not write the {} page: {}", status, ex.toString());
			}
		}

	}

}
