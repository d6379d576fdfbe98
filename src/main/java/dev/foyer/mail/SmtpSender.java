package dev.foyer.mail;

import java.util.Properties;

import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.util.StringUtils;

/**
 * The SMTP client for {@code spring.mail.*}, built when Foyer starts rather than by Spring Boot's mail
 * auto-configuration: {@code ./foyer run} starts the ahead-of-time processed application, whose beans are fixed when
 * the jar is built, so a sender that exists only when {@code spring.mail.host} is set would be decided at build time.
 * Applies the same settings as Spring Boot's: host, port, username, password, protocol, default encoding,
 * {@code spring.mail.properties.*} and {@code spring.mail.ssl.*}.
 */
final class SmtpSender {

	private SmtpSender() {
	}

	/** The sender for these settings, or null when no SMTP host is set. */
	static JavaMailSenderImpl from(MailProperties settings, SslBundles sslBundles) {
		if (!StringUtils.hasText(settings.getHost())) {
			return null;
		}
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost(settings.getHost());
		if (settings.getPort() != null) {
			sender.setPort(settings.getPort());
		}
		sender.setUsername(settings.getUsername());
		sender.setPassword(settings.getPassword());
		sender.setProtocol(settings.getProtocol());
		if (settings.getDefaultEncoding() != null) {
			sender.setDefaultEncoding(settings.getDefaultEncoding().name());
		}
		Properties properties = new Properties();
		properties.putAll(settings.getProperties());
		String protocol = StringUtils.hasLength(settings.getProtocol()) ? settings.getProtocol() : "smtp";
		MailProperties.Ssl ssl = settings.getSsl();
		if (ssl.isEnabled()) {
			properties.setProperty("mail." + protocol + ".ssl.enable", "true");
		}
		if (StringUtils.hasLength(ssl.getBundle())) {
			if (sslBundles == null) {
				throw new IllegalStateException("spring.mail.ssl.bundle is set but no SSL bundles are configured");
			}
			properties.put("mail." + protocol + ".ssl.socketFactory",
					sslBundles.getBundle(ssl.getBundle()).createSslContext().getSocketFactory());
		}
		if (ssl.isEnabled() || StringUtils.hasLength(ssl.getBundle())) {
			if (ssl.isVerifyHostname()) {
				properties.setProperty("mail." + protocol + ".ssl.checkserveridentity", "true");
			}
		}
		sender.setJavaMailProperties(properties);
		return sender;
	}

}
