package dev.foyer.signin;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.springframework.stereotype.Component;

import dev.foyer.flow.FlowRun;
import dev.foyer.keys.Digests;
import dev.foyer.keys.MasterKey;

/**
 * One-time codes sent by mail within a flow run: 6 digits (8 for passwordless sign-in), valid {@link #LIFETIME}, {@value #ATTEMPTS} attempts, a
 * new one only after {@link #RESEND_COOLDOWN}. The run keeps an HMAC of the code under a key derived from the
 * master key, never the code.
 */
@Component
class EmailCodes {

	static final int ATTEMPTS = 5;

	static final Duration LIFETIME = Duration.ofMinutes(10);

	static final Duration RESEND_COOLDOWN = Duration.ofSeconds(30);

	static final String DIGEST = "codeDigest";

	static final String TRIES = "codeAttempts";

	static final String EXPIRES = "codeExpires";

	static final String RESEND_AFTER = "resendAfter";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final MasterKey masterKey;

	private final dev.foyer.flow.FlowRuns flows;

	private final dev.foyer.mail.Mailer mailer;

	private final dev.foyer.mail.Deliveries deliveries;

	private final dev.foyer.extension.Extensions extensions;

	private final dev.foyer.extension.ExtensionCalls extensionCalls;

	private final PageLocale locales;

	EmailCodes(MasterKey masterKey, dev.foyer.flow.FlowRuns flows, dev.foyer.mail.Mailer mailer,
			dev.foyer.mail.Deliveries deliveries, dev.foyer.extension.Extensions extensions,
			dev.foyer.extension.ExtensionCalls extensionCalls, PageLocale locales) {
		this.masterKey = masterKey;
		this.deliveries = deliveries;
		this.flows = flows;
		this.mailer = mailer;
		this.extensions = extensions;
		this.extensionCalls = extensionCalls;
		this.locales = locales;
	}

	/**
	 * Delivers a code: through the tenant's email OTP send extension for the run's app when there is one (Entra's
	 * {@code emailOtpSend}: the extension sends it, by mail, SMS or anything else), else, or when the extension fails,
	 * as Foyer's own mail: subject and body from the messages {@code <mail>.subject} and {@code <mail>.body}
	 * ({@code mail.code}, {@code mail.otp}, {@code mail.reset}), in the run's language.
	 */
	void deliver(dev.foyer.tenant.Tenant tenant, FlowRun run, String email, String code, String mail) {
		String clientId = run.get(SignInController.CLIENT);
		var attached = this.extensions.emailOtpSend(tenant.id(), clientId);
		var context = new dev.foyer.extension.ExtensionCalls.SignInContext(tenant.id(), clientId, null,
				run.get(SignInController.LOCALES), java.util.Map.of("mail", email));
		java.util.Locale locale = this.locales.of(run);
		dev.foyer.mail.Mail ownMail = new dev.foyer.mail.Mail(email,
				this.locales.message(mail + ".subject", locale, tenant.displayName()),
				this.locales.message(mail + ".body", locale, code, tenant.displayName(), LIFETIME.toMinutes()));
		// After the answer (Deliveries): whether a code goes out at all tells that an account exists.
		this.deliveries.later(mail, () -> {
			if (attached.isPresent()) {
				try {
					this.extensionCalls.emailOtpSend(attached.get(), context, email, code);
					return;
				}
				catch (dev.foyer.extension.ExtensionCalls.ExtensionFailure failure) {
					// Logged and recorded by ExtensionCalls; the person still gets the code, by Foyer's mail.
				}
			}
			this.mailer.send(ownMail);
		});
	}

	/** A posted code's effect on its run, as saved: the page's error key when the code was not accepted. */
	record Verification(FlowRun run, String error) {
	}

	/**
	 * Checks a posted code and saves the run: with the attempt counted ({@link #check}) when the code is wrong or
	 * spent, else marked verified (plus {@code extra}) and moved on to {@code nextStep}.
	 */
	Verification verify(FlowRun run, String purpose, String code, String nextStep, Map<String, String> extra) {
		Check checked = check(run, purpose, code);
		if (checked.outcome() != Outcome.VALID) {
			FlowRun counted = run.withStep(run.kind(), run.step(), checked.data());
			return new Verification(counted,
					checked.outcome() == Outcome.EXPIRED ? "error.codeExpired" : "error.invalidCode");
		}
		Map<String, String> data = checked.data();
		data.put(SignInController.VERIFIED, "true");
		data.putAll(extra);
		FlowRun next = run.withStep(run.kind(), nextStep, data);
		this.flows.save(next);
		return new Verification(next, null);
	}

	/** What {@link #issue} produced: the code to mail (null when none is to be sent) and the run's new data. */
	record Issued(String code, Map<String, String> data) {
	}

	/**
	 * Starts a new code period. When {@code send} is false (the address has no account to send it to) the data
	 * looks the same but holds no digest, so no code can ever match.
	 */
	Issued issue(FlowRun run, String purpose, boolean send) {
		return issue(run, purpose, send, 6);
	}

	/** As {@link #issue(FlowRun, String, boolean)}, with codes of the given number of digits (6 or 8). */
	Issued issue(FlowRun run, String purpose, boolean send, int digits) {
		Map<String, String> data = new HashMap<>(run.data());
		Instant now = Instant.now();
		data.put(TRIES, "0");
		data.put(EXPIRES, String.valueOf(now.plus(LIFETIME).toEpochMilli()));
		data.put(RESEND_AFTER, String.valueOf(now.plus(RESEND_COOLDOWN).toEpochMilli()));
		data.remove(DIGEST);
		if (!send) {
			return new Issued(null, data);
		}
		String code = digits == 8 ? String.format("%08d", RANDOM.nextInt(100_000_000))
				: String.format("%06d", RANDOM.nextInt(1_000_000));
		data.put(DIGEST, this.masterKey.mac(purpose, macInput(run, code)));
		return new Issued(code, data);
	}

	/**
	 * A new code for the run once its cooldown has passed: made (and mailed) by {@code send} and saved with the run's
	 * row locked, so that resends posted together mail one code, not one each. Empty when it is too soon, or the run
	 * has ended.
	 */
	Optional<FlowRun> resend(FlowRun run, UnaryOperator<FlowRun> send) {
		return this.flows.locked(run, stored -> stored.filter(this::mayResend).map(fresh -> {
			FlowRun next = send.apply(fresh);
			this.flows.save(next);
			return next;
		}));
	}

	private boolean mayResend(FlowRun run) {
		String after = run.get(RESEND_AFTER);
		return after == null || !Instant.now().isBefore(Instant.ofEpochMilli(Long.parseLong(after)));
	}

	/** The outcome of checking a code, and the run data to save (with the attempt counted). */
	record Check(Outcome outcome, Map<String, String> data) {
	}

	enum Outcome {

		VALID, WRONG, EXPIRED

	}

	/**
	 * Checks a posted code against the run as stored, and saves the attempt with the row locked, before anyone
	 * learns the outcome: guesses posted together are counted one after the other against the 5 attempts.
	 */
	Check check(FlowRun run, String purpose, String given) {
		return this.flows.locked(run, stored -> {
			if (stored.isEmpty()) {
				return new Check(Outcome.EXPIRED, new HashMap<>(run.data()));
			}
			FlowRun fresh = stored.get();
			Check checked = checkData(fresh, purpose, given);
			this.flows.save(fresh.withStep(fresh.kind(), fresh.step(), checked.data()));
			return checked;
		});
	}

	private Check checkData(FlowRun run, String purpose, String given) {
		Map<String, String> data = new HashMap<>(run.data());
		int attempts = Integer.parseInt(data.getOrDefault(TRIES, "0"));
		String expires = data.get(EXPIRES);
		if (expires == null || Instant.now().isAfter(Instant.ofEpochMilli(Long.parseLong(expires))) || attempts >= ATTEMPTS) {
			return new Check(Outcome.EXPIRED, data);
		}
		data.put(TRIES, String.valueOf(attempts + 1));
		String digest = data.get(DIGEST);
		String code = given == null ? "" : given.strip();
		if (digest == null || !code.matches("\\d{6}|\\d{8}") || !this.masterKey.macMatches(purpose, macInput(run, code), digest)) {
			return new Check(attempts + 1 >= ATTEMPTS ? Outcome.EXPIRED : Outcome.WRONG, data);
		}
		data.remove(DIGEST);
		return new Check(Outcome.VALID, data);
	}

	/** What a code's digest covers: the code bound to its flow run, so a code from one run is nothing in another. */
	private static String macInput(FlowRun run, String code) {
		return run.id() + ":" + code;
	}

}
