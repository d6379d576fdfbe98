package dev.foyer.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** The SMTP client Foyer builds from {@code spring.mail.*} when it starts, in place of Spring Boot's. */
class SmtpSenderTest {

	@Test
	void noHostMeansNoSmtp() {
		assertThat(SmtpSender.from(new MailProperties(), null)).isNull();
		MailProperties blank = new MailProperties();
		blank.setHost(" ");
		assertThat(SmtpSender.from(blank, null)).isNull();
	}

	@Test
	void takesEverySettingAnOperatorGives() {
		MailProperties settings = new MailProperties();
		settings.setHost("smtp.example.com");
		settings.setPort(587);
		settings.setUsername("accounts");
		settings.setPassword("s3cret");
		settings.setDefaultEncoding(StandardCharsets.ISO_8859_1);
		settings.getProperties().put("mail.smtp.auth", "true");
		settings.getProperties().put("mail.smtp.starttls.required", "true");

		JavaMailSenderImpl sender = SmtpSender.from(settings, null);

		assertThat(sender.getHost()).isEqualTo("smtp.example.com");
		assertThat(sender.getPort()).isEqualTo(587);
		assertThat(sender.getUsername()).isEqualTo("accounts");
		assertThat(sender.getPassword()).isEqualTo("s3cret");
		assertThat(sender.getProtocol()).isEqualTo("smtp");
		assertThat(sender.getDefaultEncoding()).isEqualTo("ISO-8859-1");
		assertThat(sender.getJavaMailProperties()).containsEntry("mail.smtp.auth", "true")
			.containsEntry("mail.smtp.starttls.required", "true")
			.doesNotContainKey("mail.smtp.ssl.enable");
	}

	@Test
	void implicitTlsFollowsTheProtocol() {
		MailProperties settings = new MailProperties();
		settings.setHost("smtp.example.com");
		settings.setProtocol("smtps");
		settings.getSsl().setEnabled(true);

		JavaMailSenderImpl sender = SmtpSender.from(settings, null);

		assertThat(sender.getProtocol()).isEqualTo("smtps");
		assertThat(sender.getPort()).isEqualTo(JavaMailSenderImpl.DEFAULT_PORT);
		assertThat(sender.getJavaMailProperties()).containsEntry("mail.smtps.ssl.enable", "true")
			.containsEntry("mail.smtps.ssl.checkserveridentity", "true");
	}

}
