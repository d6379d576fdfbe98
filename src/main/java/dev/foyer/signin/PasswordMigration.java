package dev.foyer.signin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.foyer.attribute.CustomAttributes;
import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.directory.PasswordPolicy;
import dev.foyer.extension.ExtensionCalls;
import dev.foyer.extension.Extensions;
import dev.foyer.web.FieldChecks;

/**
 * Just-in-time password migration, as Entra External ID does it: an account flagged by the password submit
 * listener's boolean attribute ({@code migrationPropertyId}) whose password does not match asks the tenant's
 * extension, which checks it against the old system. A vouched-for password is stored (hashed as Foyer hashes) and
 * the flag cleared, so the next sign-in is Foyer's alone.
 * <p>
 * Once an account's password has matched here, the flag is cleared too: from then on the old system's password must
 * never open the account again.
 */
@Component
class PasswordMigration {

	private static final Logger log = LoggerFactory.getLogger(PasswordMigration.class);

	/** What came of a password that did not match the stored one. */
	sealed interface Outcome {
	}

	/** Not an account to migrate here: an ordinary wrong password. */
	record NotMigrating() implements Outcome {
	}

	/** The old system vouched for the password; it is now the account's. */
	record Migrated(Account account) implements Outcome {
	}

	/** The old system says the password is wrong. */
	record Wrong() implements Outcome {
	}

	/** The extension says this sign-in must not go on. */
	record Blocked(String title, String message) implements Outcome {
	}

	/** The extension could not be asked; {@code reference} is the call's correlation id. */
	record Failed(String reference) implements Outcome {
	}

	private final Extensions extensions;

	private final ExtensionCalls calls;

	private final Accounts accounts;

	private final CustomAttributes attributes;

	PasswordMigration(Extensions extensions, ExtensionCalls calls, Accounts accounts, CustomAttributes attributes) {
		this.extensions = extensions;
		this.calls = calls;
		this.accounts = accounts;
		this.attributes = attributes;
	}

	Outcome afterMismatch(String tenantId, String clientId, String email, String password, HttpServletRequest request,
			String locale) {
		Optional<Extensions.Attached> attached = this.extensions.passwordSubmit(tenantId, clientId);
		if (attached.isEmpty()) {
			return new NotMigrating();
		}
		Optional<Account> account = this.accounts.findByEmail(tenantId, email);
		String flag = attached.get().listener().migrationPropertyId();
		if (account.isEmpty() || !flagged(tenantId, account.get().id(), flag)) {
			return new NotMigrating();
		}
		Account found = account.get();
		Map<String, Object> user = new java.util.LinkedHashMap<>();
		user.put("id", found.id());
		user.put("displayName", found.displayName());
		user.put("givenName", found.givenName());
		user.put("surname", found.surname());
		user.put("mail", found.email());
		user.put("userPrincipalName", found.email());
		user.put("createdDateTime", found.createdAt().toString());
		user.put("userType", "Member");
		ExtensionCalls.PasswordOutcome outcome;
		try {
			outcome = this.calls.passwordSubmit(attached.get(),
					new ExtensionCalls.SignInContext(tenantId, clientId, request.getRemoteAddr(), locale, user), password);
		}
		catch (ExtensionCalls.ExtensionFailure failure) {
			// Set to continue on error, the old system's password just does not work for now.
			return attached.get().extension().continueOnError() ? new Wrong() : new Failed(failure.correlationId());
		}
		return switch (outcome.action()) {
			case MIGRATE, UPDATE -> {
				// Entra: a vouched-for password that fails the tenant's policy must be replaced at once.
				FieldChecks checks = new FieldChecks();
				PasswordPolicy.check(checks, "password", password, found.email());
				boolean mustChange = outcome.action() == ExtensionCalls.PasswordOutcome.Action.UPDATE || checks.hasProblems();
				this.accounts.migratePassword(tenantId, found.id(), password, mustChange);
				clearFlag(tenantId, found.id(), flag);
				log.info("Migrated the password of account {} in tenant {} through extension {}{}", found.id(), tenantId,
						attached.get().extension().id(), mustChange ? "; a new password is required" : "");
				yield new Migrated(found);
			}
			case RETRY -> new Wrong();
			case BLOCK -> new Blocked(outcome.title(), outcome.message());
		};
	}

	/** After the stored password matched: a flag left on the account is cleared (see the class comment). */
	void settled(String tenantId, String accountId) {
		List<String> flags = this.extensions.migrationFlags(tenantId);
		for (String flag : flags) {
			if (flagged(tenantId, accountId, flag)) {
				clearFlag(tenantId, accountId, flag);
			}
		}
	}

	private boolean flagged(String tenantId, String accountId, String flag) {
		return Boolean.TRUE.equals(this.attributes.valuesOf(tenantId, List.of(accountId))
			.getOrDefault(accountId, Map.of())
			.get(flag));
	}

	private void clearFlag(String tenantId, String accountId, String flag) {
		FieldChecks checks = new FieldChecks();
		var values = this.attributes.check(checks, tenantId, Map.of(flag, false));
		if (!checks.hasProblems()) {
			this.attributes.write(tenantId, accountId, values);
		}
	}

}
