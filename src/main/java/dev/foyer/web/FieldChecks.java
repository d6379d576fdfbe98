package dev.foyer.web;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Collects every problem with a request's fields before anything is written, so that the caller hears about
 * all of them at once and a bad request changes nothing. Text is normalised to NFC; control characters (bidirectional
 * embeddings, overrides and isolates among them) and lone surrogates are refused everywhere.
 */
public final class FieldChecks {

	// Deliberately plain: one @, no spaces or controls, a dotted domain of DNS characters. Deliverability is
	// what the verification mail proves, not this pattern.
	private static final Pattern EMAIL = Pattern.compile(
			"^[^@\\s\"(),:;<>\\[\\\\\\]]{1,64}@(?=.{1,253}$)[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62}[\\p{L}\\p{N}])?(?:\\.[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62}[\\p{L}\\p{N}])?)+$");

	private final List<ApiException.FieldProblem> problems = new ArrayList<>();

	public void problem(String field, String message) {
		this.problems.add(new ApiException.FieldProblem(field, message));
	}

	public List<ApiException.FieldProblem> problems() {
		return List.copyOf(this.problems);
	}

	public boolean hasProblems() {
		return !this.problems.isEmpty();
	}

	public void throwIfAny() {
		if (!this.problems.isEmpty()) {
			throw ApiException.invalid(this.problems);
		}
	}

	/** Free text up to maxLength code points; blank counts as absent. Returns the normalised value or null. */
	public String text(String field, String value, int maxLength, boolean required) {
		if (value == null || value.isBlank()) {
			if (required) {
				problem(field, "is required");
			}
			return null;
		}
		String normalised = Normalizer.normalize(value.strip(), Normalizer.Form.NFC);
		if (!isPlain(normalised)) {
			problem(field, "must not contain control characters");
			return null;
		}
		if (normalised.codePointCount(0, normalised.length()) > maxLength) {
			problem(field, "must be at most " + maxLength + " characters");
			return null;
		}
		return normalised;
	}

	/** An email address; returns it with its domain in lower case, or null. */
	public String email(String field, String value, boolean required) {
		String text = text(field, value, 320, required);
		if (text == null) {
			return null;
		}
		if (text.length() > 254 || !EMAIL.matcher(text).matches() || hasInvisible(text)) {
			problem(field, "must be a valid email address");
			return null;
		}
		int at = text.lastIndexOf('@');
		return text.substring(0, at) + text.substring(at).toLowerCase(Locale.ROOT);
	}

	/** The form under which an email address is unique in a tenant: case-insensitive. */
	public static String normaliseEmail(String email) {
		return Normalizer.normalize(email.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
	}

	/** A whole number in [min, max], or the default where absent. */
	public int range(String field, Integer value, int min, int max, int defaultValue) {
		if (value == null) {
			return defaultValue;
		}
		if (value < min || value > max) {
			problem(field, "must be between " + min + " and " + max);
			return defaultValue;
		}
		return value;
	}

	/** One of the allowed values (compared exactly), or null. */
	public String oneOf(String field, String value, List<String> allowed, boolean required) {
		if (value == null) {
			if (required) {
				problem(field, "is required; one of " + allowed);
			}
			return null;
		}
		if (!allowed.contains(value)) {
			problem(field, "must be one of " + allowed);
			return null;
		}
		return value;
	}

	/**
	 * Whether the text holds a format character (Unicode's Cf: zero-width spaces and joiners, bidirectional
	 * overrides). None belongs in an email address, and with one an address can look like another's, in an admin's
	 * list and in a mail, while it is a different account.
	 */
	private static boolean hasInvisible(String text) {
		for (int i = 0; i < text.length();) {
			int cp = text.codePointAt(i);
			if (Character.getType(cp) == Character.FORMAT) {
				return true;
			}
			i += Character.charCount(cp);
		}
		return false;
	}

	// A loop rather than a stream of code points: it runs for every text field of every line of an import.
	// The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what follows them:
	// "Bob\u202Egnp.exe" shows as "Bobexe.png", in an admin's list and in a mail's greeting. The marks (U+200E,
	// U+200F) and the zero-width joiners stay: names in Persian and Indic scripts need them.
	static boolean isPlain(String text) {
		for (int i = 0; i < text.length();) {
			int cp = text.codePointAt(i);
			if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE || cp == 0x2028 || cp == 0x2029
					|| (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
				return false;
			}
			i += Character.charCount(cp);
		}
		return true;
	}

}
