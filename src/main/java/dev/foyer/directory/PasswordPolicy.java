package dev.foyer.directory;

import dev.foyer.web.FieldChecks;

/** What a password must be: 8 to 256 characters, and not the account's email address. */
public final class PasswordPolicy {

	public static final int MIN_LENGTH = 8;

	public static final int MAX_LENGTH = 256;

	private PasswordPolicy() {
	}

	static void check(FieldChecks checks, String field, String password, String email) {
		if (password == null) {
			return;
		}
		int length = password.codePointCount(0, password.length());
		if (length < MIN_LENGTH || length > MAX_LENGTH) {
			checks.problem(field, "must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
		}
		else if (email != null && password.strip().equalsIgnoreCase(email.strip())) {
			checks.problem(field, "must not be the email address");
		}
	}

}
