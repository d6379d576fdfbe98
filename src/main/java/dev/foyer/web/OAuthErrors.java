package dev.foyer.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;

/** An OAuth error answer (RFC 6749 5.2, RFC 6750 3) as JSON, written by Spring's own converter. */
public final class OAuthErrors {

	private OAuthErrors() {
	}

	public static void write(HttpServletResponse response, HttpStatus status, OAuth2Error error) throws IOException {
		ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
		answer.setStatusCode(status);
		new OAuth2ErrorHttpMessageConverter().write(error, null, answer);
	}

}
