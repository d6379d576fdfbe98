package dev.foyer.support;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * A real SMTP server (GreenMail) in the test JVM, started on first use, that tests read Foyer's mails from. The
 * comparison benchmark reads Foyer's codes and Keycloak's links from it too.
 */
public final class MailServer {

	/**
	 * The code in a sign-up or reset mail's body ("… is 123456."). Not any run of digits: a tenant's id, in the
	 * subject, may be one (otp-13005592).
	 */
	public static final Pattern SIX_DIGIT_CODE = Pattern.compile("\\bis (\\d{6})\\.");

	/** The code in a sign-in code mail's body ("Your sign-in code is 12345678."). */
	public static final Pattern EIGHT_DIGIT_CODE = Pattern.compile("\\bis (\\d{8})\\.");

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

	/**
	 * Every mail received for this address, oldest first, as subject + body. Read from the address's own mailbox
	 * (GreenMail opens one per recipient), so that a look-up costs the same after thousands of mails to others.
	 */
	public static List<String> mailsTo(String address) {
		port();
		GreenMailUser user = server.getUserManager().getUserByEmail(address);
		if (user == null) {
			return List.of();
		}
		// GreenMail hands out its mailbox's own list, which its SMTP thread appends to while Foyer delivers a mail
		// after its answer (Deliveries): a read that meets an arrival starts again.
		for (int attempt = 1;; attempt++) {
			try {
				return server.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
					.map(StoredMessage::getMimeMessage)
					.map(message -> subject(message) + "\n" + GreenMailUtil.getBody(message))
					.toList();
			}
			catch (FolderException ex) {
				throw new IllegalStateException("cannot read the mailbox of " + address, ex);
			}
			catch (java.util.ConcurrentModificationException ex) {
				if (attempt == 10) {
					throw ex;
				}
			}
		}
	}

	/** The newest 6-digit code sent to this address, waiting up to 5 s for it. */
	public static String latestCode(String address) {
		return latest(address, SIX_DIGIT_CODE);
	}

	/**
	 * The first group of {@code pattern}'s first match in the newest mail to this address that has one (a code, a
	 * link), waiting up to 5 s for it.
	 */
	public static String latest(String address, Pattern pattern) {
		return latestAfter(address, 0, pattern);
	}

	/**
	 * As {@link #latest}, among the mails to this address after the first {@code skipped}: for the code of a new
	 * flow run, where a code of an earlier run is in the box already.
	 */
	public static String latestAfter(String address, int skipped, Pattern pattern) {
		long deadline = System.currentTimeMillis() + 5000;
		while (System.currentTimeMillis() < deadline) {
			List<String> mails = mailsTo(address);
			for (int i = mails.size() - 1; i >= skipped; i--) {
				Matcher found = pattern.matcher(mails.get(i));
				if (found.find()) {
					return found.group(1);
				}
			}
			try {
				// Foyer sends codes just after its answer (Deliveries): a short wait, so that the benchmarks' sign-ups
				// do not measure this loop.
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		throw new AssertionError("No mail to " + address + " matched " + pattern);
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
