package dev.foyer.mail;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;

import dev.foyer.config.BaseUrl;

/**
 * Sends Foyer's mails by SMTP wherever {@code spring.mail.host} (SPRING_MAIL_HOST) is set. Without SMTP — a trial
 * or development run — mails are written to the log and, where the base URL is a loopback address, kept in a small
 * in-memory outbox that the development outbox page shows. That page shows every code to whoever reaches it, so it
 * exists only on a server that no one else reaches by its base URL. The SMTP client is {@link SmtpSender}'s, decided
 * at start (Spring Boot's mail auto-configuration is excluded).
 */
@Service
@EnableConfigurationProperties(MailProperties.class)
public class Mailer {

	private static final Logger log = LoggerFactory.getLogger(Mailer.class);

	static final int OUTBOX_SIZE = 50;

	private final JavaMailSender smtp;

	private final String from;

	private final Deque<Mail> outbox = new ArrayDeque<>();

	private final boolean offersOutbox;

	public Mailer(MailProperties smtp, ObjectProvider<SslBundles> sslBundles,
			@Value("${foyer.mail.from:no-reply@foyer.local}") String from, BaseUrl baseUrl) {
		this.smtp = SmtpSender.from(smtp, sslBundles.getIfAvailable());
		this.from = from;
		this.offersOutbox = this.smtp == null && baseUrl.isLoopback();
		if (this.offersOutbox) {
			log.warn("No SMTP server configured (SPRING_MAIL_HOST): mails go to the log and the development outbox at /dev/outbox");
		}
		else if (this.smtp == null) {
			log.warn("No SMTP server configured (SPRING_MAIL_HOST): mails go to the log only. The development outbox "
					+ "(/dev/outbox) is off because FOYER_BASE_URL ({}) is not a loopback address: it would show every "
					+ "code to whoever reaches it", baseUrl);
		}
	}

	/** Whether the development outbox page exists: no SMTP, and a base URL that only this machine reaches. */
	public boolean offersOutbox() {
		return this.offersOutbox;
	}

	public void send(Mail mail) {
		if (this.smtp != null) {
			SimpleMailMessage message = new SimpleMailMessage();
			message.setFrom(this.from);
			message.setTo(mail.to());
			message.setSubject(mail.subject());
			message.setText(mail.body());
			this.smtp.send(message);
			log.info("Sent mail '{}' to {}", mail.subject(), mail.to());
			return;
		}
		log.info("Mail (development outbox) to {}: {}\n{}", mail.to(), mail.subject(), mail.body());
		if (!this.offersOutbox) {
			return;
		}
		synchronized (this.outbox) {
			this.outbox.addFirst(mail);
			while (this.outbox.size() > OUTBOX_SIZE) {
				this.outbox.removeLast();
			}
		}
	}

	/** The newest mails first; empty where the outbox is not offered. */
	public List<Mail> outbox() {
		synchronized (this.outbox) {
			return List.copyOf(this.outbox);
		}
	}

}
