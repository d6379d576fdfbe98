package dev.foyer.attribute;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.foyer.web.FieldChecks;

/**
 * Turns a given value of a custom attribute into its canonical stored form, or records why it cannot be one: wrong
 * type, too long, not matching the pattern, not among the allowed values, or carrying markup or SQL statements.
 * The same checks serve the admin API (JSON values) and the pages (text from forms).
 */
final class AttributeValueChecks {

	static final int MAX_LENGTH = 250;

	private static final Pattern MARKUP = Pattern.compile("<\\s*/?\\s*[a-zA-Z!]|javascript:", Pattern.CASE_INSENSITIVE);

	private static final Pattern SQL = Pattern.compile(
			"(;|'|\")\\s*(drop|delete|insert|update|select|alter|truncate|union|exec)\\b|--|/\\*|\\bunion\\s+select\\b",
			Pattern.CASE_INSENSITIVE);

	private AttributeValueChecks() {
	}

	/** The canonical values (one, or several for multi-select), or null after recording a problem. */
	static List<String> canonical(FieldChecks checks, String field, CustomAttribute attribute, Object given) {
		if (attribute.multiValued()) {
			if (!(given instanceof Collection<?> values)) {
				checks.problem(field, "must be a list of values");
				return null;
			}
			List<String> out = new ArrayList<>();
			for (Object value : values) {
				String one = single(checks, field, attribute, value);
				if (one == null) {
					return null;
				}
				if (!out.contains(one)) {
					out.add(one);
				}
			}
			return out;
		}
		String one = single(checks, field, attribute, given);
		return one == null ? null : List.of(one);
	}

	private static String single(FieldChecks checks, String field, CustomAttribute attribute, Object value) {
		switch (attribute.dataType()) {
			case booleanValue -> {
				if (value instanceof Boolean bool) {
					return bool.toString();
				}
				if (value instanceof String text && (text.equals("true") || text.equals("false"))) {
					return text;
				}
				checks.problem(field, "must be true or false");
				return null;
			}
			case integer -> {
				if (value instanceof Integer || value instanceof Long) {
					return value.toString();
				}
				if (value instanceof String text && text.strip().matches("-?\\d{1,15}")) {
					return Long.toString(Long.parseLong(text.strip()));
				}
				checks.problem(field, "must be a whole number");
				return null;
			}
			case date -> {
				if (value instanceof String text) {
					try {
						return LocalDate.parse(text.strip()).toString();
					}
					catch (DateTimeParseException ex) {
						// fall through to the problem
					}
				}
				checks.problem(field, "must be a date such as 2026-01-31");
				return null;
			}
			default -> {
				if (!(value instanceof String text)) {
					checks.problem(field, "must be text");
					return null;
				}
				int max = attribute.maxLength() == null ? MAX_LENGTH : attribute.maxLength();
				String clean = checks.text(field, text, max, true);
				if (clean == null) {
					return null;
				}
				if (MARKUP.matcher(clean).find()) {
					checks.problem(field, "must not contain markup or scripts");
					return null;
				}
				if (SQL.matcher(clean).find()) {
					checks.problem(field, "must not contain SQL statements");
					return null;
				}
				if (attribute.allowedValues() != null && !attribute.allowedValues().isEmpty()
						&& !attribute.allowedValues().contains(clean)) {
					checks.problem(field, "must be one of " + attribute.allowedValues());
					return null;
				}
				if (attribute.pattern() != null && !matches(attribute.pattern(), clean)) {
					checks.problem(field, "does not have the required format");
					return null;
				}
				return clean;
			}
		}
	}

	/** The stored text as the API shows it: typed. */
	static Object typed(CustomAttribute attribute, String stored) {
		return switch (attribute.dataType()) {
			case booleanValue -> Boolean.parseBoolean(stored);
			case integer -> Long.parseLong(stored);
			default -> stored;
		};
	}

	static boolean validPattern(String pattern) {
		try {
			Pattern.compile(pattern);
			return true;
		}
		catch (PatternSyntaxException ex) {
			return false;
		}
	}

	private static boolean matches(String pattern, String value) {
		return Pattern.compile(pattern).matcher(value).matches();
	}


}
