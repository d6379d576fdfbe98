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

/**
 * Sends Foyer's mails by SMTP wherever {@code spring.mail.host} (SPRING_MAIL_HOST) is set. Without SMTP — a trial
 * or development run — mails are written to the log and kept in a small in-memory outbox that the development
 * outbox page shows; that page exists only in this mode. The SMTP client is {@link SmtpSender}'s, decided at start
 * (Spring Boot's mail auto-configuration is excluded).
 */
@Service
@EnableConfigurationProperties(MailProperties.class)
public class Mailer {

	private static final Logger log = LoggerFactory.getLogger(Mailer.class);

	static final int OUTBOX_SIZE = 50;

	private final JavaMailSender smtp;

	private final String from;

	private final Deque<Mail> outbox = new ArrayDeque<>();

	public Mailer(MailProperties smtp, ObjectProvider<SslBundles> sslBundles,
			@Value("${foyer.mail.from:no-reply@foyer.local}") String from) {
		this.smtp = SmtpSender.from(smtp, sslBundles.getIfAvailable());
		this.from = from;
		if (this.smtp == null) {
			log.warn("No SMTP server configured (SPRING_MAIL_HOST): mails go to the log and the development outbox at /dev/outbox");
		}
	}

	public boolean usesSmtp() {
		return this.smtp != null;
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
		synchronized (this.outbox) {
			this.outbox.addFirst(mail);
			while (this.outbox.size() > OUTBOX_SIZE) {
				this.outbox.removeLast();
			}
		}
	}

	/** The newest mails first; empty when SMTP is configured. */
	public List<Mail> outbox() {
		synchronized (this.outbox) {
			return List.copyOf(this.outbox);
		}
	}

}
