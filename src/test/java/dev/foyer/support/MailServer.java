package dev.foyer.support;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

/** A real SMTP server (GreenMail) in the test JVM, started on first use, that tests read Foyer's mails from. */
public final class MailServer {

	private static GreenMail server;

	private MailServer() {
	}

	public static synchronized int port() {
		if (server == null) {
			server = new GreenMail(new ServerSetup(TestFoyer.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
		}
		return server.getSmtp().getPort();
	}

	/** Every mail received for this address, oldest first, as subject + body. */
	public static List<String> mailsTo(String address) {
		port();
		return Arrays.stream(server.getReceivedMessages())
			.filter(message -> recipient(message).equalsIgnoreCase(address))
			.map(message -> subject(message) + "\n" + GreenMailUtil.getBody(message))
			.toList();
	}

	/** The newest 6-digit code sent to this address, waiting up to 5 s for it. */
	public static String latestCode(String address) {
		long deadline = System.currentTimeMillis() + 5000;
		while (System.currentTimeMillis() < deadline) {
			List<String> mails = mailsTo(address);
			for (int i = mails.size() - 1; i >= 0; i--) {
				Matcher code = Pattern.compile("\\b(\\d{6})\\b").matcher(mails.get(i));
				if (code.find()) {
					return code.group(1);
				}
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		throw new AssertionError("No code was mailed to " + address);
	}

	private static String recipient(MimeMessage message) {
		try {
			return message.getAllRecipients()[0].toString();
		}
		catch (jakarta.mail.MessagingException ex) {
			return "";
		}
	}

	private static String subject(MimeMessage message) {
		try {
			return message.getSubject();
		}
		catch (jakarta.mail.MessagingException ex) {
			return "";
		}
	}

}
