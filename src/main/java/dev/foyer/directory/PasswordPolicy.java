package dev.foyer.directory;

import dev.foyer.web.FieldChecks;

/**
 * What a password must be: 8 to 256 characters, not the account's email address, and not among the 10,000 most
 * common passwords (shipped in {@code passwords/common-10000.txt}, compared case-insensitively).
 */
public final class PasswordPolicy {

	private static final java.util.Set<String> COMMON = load();

	public static final int MIN_LENGTH = 8;

	public static final int MAX_LENGTH = 256;

	private PasswordPolicy() {
	}

	private static java.util.Set<String> load() {
		try (var in = PasswordPolicy.class.getResourceAsStream("/passwords/common-10000.txt")) {
			if (in == null) {
				throw new IllegalStateException("passwords/common-10000.txt is missing from the build");
			}
			return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
				.map(line -> line.strip().toLowerCase(java.util.Locale.ROOT))
				.filter(line -> !line.isEmpty())
				.collect(java.util.stream.Collectors.toUnmodifiableSet());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	public static boolean isCommon(String password) {
		return COMMON.contains(password.strip().toLowerCase(java.util.Locale.ROOT));
	}

	public static void check(FieldChecks checks, String field, String password, String email) {
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
		else if (isCommon(password)) {
			checks.problem(field, "is one of the most common passwords; choose another");
		}
	}

}
