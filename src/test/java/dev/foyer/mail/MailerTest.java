package dev.foyer.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.boot.ssl.SslBundles;

import dev.foyer.config.BaseUrl;
import dev.foyer.config.FoyerProperties;

class MailerTest {

	private static Mailer withoutSmtp(String baseUrl) {
		BaseUrl base = new BaseUrl(new FoyerProperties(baseUrl, Path.of("."), null, null,
				new FoyerProperties.Bootstrap(null, null, null, null)));
		return new Mailer(new MailProperties(), new StaticListableBeanFactory().getBeanProvider(SslBundles.class),
				"no-reply@foyer.local", base);
	}

	@Test
	void withoutSmtpALoopbackServerKeepsItsMailsInTheOutbox() {
		Mailer mailer = withoutSmtp("http://localhost:8080");
		mailer.send(new Mail("ada@example.com", "Your code", "Your verification code is 123456."));
		assertThat(mailer.offersOutbox()).isTrue();
		assertThat(mailer.outbox()).extracting(Mail::to).containsExactly("ada@example.com");
	}

	@Test
	void withoutSmtpAServerOthersReachOffersNoOutbox() {
		// The outbox shows every code to whoever reaches the page: not on a server with a public base URL.
		Mailer mailer = withoutSmtp("https://id.example.com");
		mailer.send(new Mail("ada@example.com", "Your code", "Your verification code is 123456."));
		assertThat(mailer.offersOutbox()).isFalse();
		assertThat(mailer.outbox()).isEmpty();
	}

}
