package dev.foyer.mail;

import java.time.Instant;

/** One plain-text mail. */
public record Mail(String to, String subject, String body, Instant createdAt) {

	public Mail(String to, String subject, String body) {
		this(to, subject, body, Instant.now());
	}

}
