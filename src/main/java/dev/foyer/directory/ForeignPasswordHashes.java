package dev.foyer.directory;

import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.foyer.web.FieldChecks;

import tools.jackson.databind.JsonNode;

/**
 * Password hashes made by other systems, taken as they are at import and turned into the form {@link PasswordHashing}
 * stores and verifies ({@code {bcrypt}…}, {@code {pbkdf2}…}, {@code {argon2}…}). Each is checked for being well
 * formed and for a cost Foyer can afford: a sign-in attempt, right or wrong, pays the hash's cost until the first
 * successful sign-in replaces it with Foyer's Argon2id.
 * <p>
 * Accepted: a string in one of the forms below, or Keycloak's credential fields as an object.
 * <ul>
 * <li>bcrypt: {@code $2a$}, {@code $2b$} or {@code $2y$}, cost 4 to {@value #BCRYPT_MAX_COST};</li>
 * <li>Argon2 PHC strings: {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash} (also argon2i and argon2d, version 16 or 19);</li>
 * <li>PBKDF2 as Foyer writes it: {@code $pbkdf2-sha256$i=27500$salt$hash} (also {@code pbkdf2-sha512}, and
 * {@code pbkdf2} for HMAC-SHA1);</li>
 * <li>{@code {"algorithm": "pbkdf2-sha256", "iterations": 27500, "salt": "…", "value": "…"}} (Keycloak's
 * {@code credentialData} and {@code secretData}, salt and value in base64);</li>
 * <li>{@code {"algorithm": "argon2", "type": "id", "version": "1.3", "memory": 7168, "iterations": 5,
 * "parallelism": 1, "salt": "…", "value": "…"}} (Keycloak's Argon2 credential, its additional parameters as
 * fields);</li>
 * <li>Foyer's own stored form, as an export writes it: any of the strings above behind {@code {bcrypt}},
 * {@code {argon2}} or {@code {pbkdf2}}.</li>
 * </ul>
 */
final class ForeignPasswordHashes {

	static final int BCRYPT_MAX_COST = 14;

	/** PBKDF2's cost is iterations times blocks of output; this bound is about one second here for SHA-256. */
	static final int PBKDF2_MAX_WORK = 2_000_000;

	/** Two of these may run at once on two CPUs; Foyer's default heap (512 MiB) holds them. */
	static final int ARGON2_MAX_MEMORY_KIB = 128 * 1024;

	static final int ARGON2_MAX_ITERATIONS = 16;

	static final int ARGON2_MAX_PARALLELISM = 16;

	static final String FORMATS = "bcrypt ($2a$, $2b$, $2y$), Argon2 ($argon2id$v=19$m=…,t=…,p=…$salt$hash), "
			+ "PBKDF2 ($pbkdf2-sha256$i=…$salt$hash) or an object {algorithm, iterations, salt, value, …} as Keycloak "
			+ "stores it";

	private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

	private static final Set<String> PBKDF2_FIELDS = Set.of("algorithm", "iterations", "salt", "value");

	private static final Set<String> ARGON2_FIELDS = Set.of("algorithm", "type", "version", "memory", "iterations",
			"parallelism", "salt", "value");

	private ForeignPasswordHashes() {
	}

	/** The stored form of the given hash; null when none is given, or after recording why it is refused. */
	static String stored(FieldChecks checks, String field, JsonNode given) {
		if (given == null || given.isNull()) {
			return null;
		}
		if (given.isString()) {
			return fromString(checks, field, given.asString());
		}
		if (given.isObject()) {
			return fromObject(checks, field, given);
		}
		checks.problem(field, "must be a hash string or an object; Foyer takes " + FORMATS);
		return null;
	}

	private static String fromString(FieldChecks checks, String field, String hash) {
		String text = hash.strip();
		if (text.startsWith("{bcrypt}")) {
			return bcrypt(checks, field, text.substring("{bcrypt}".length()));
		}
		if (text.startsWith("{argon2}")) {
			return argon2(checks, field, text.substring("{argon2}".length()));
		}
		if (text.startsWith("{pbkdf2}")) {
			return pbkdf2(checks, field, text.substring("{pbkdf2}".length()));
		}
		if (text.startsWith("$2")) {
			return bcrypt(checks, field, text);
		}
		if (text.startsWith("$argon2")) {
			return argon2(checks, field, text);
		}
		if (text.startsWith("$pbkdf2")) {
			return pbkdf2(checks, field, text);
		}
		checks.problem(field, "is not a hash format Foyer takes; it takes " + FORMATS);
		return null;
	}

	private static String bcrypt(FieldChecks checks, String field, String hash) {
		Matcher m = BCRYPT.matcher(hash);
		if (!m.matches()) {
			checks.problem(field, "is not a well-formed bcrypt hash ($2a$, $2b$ or $2y$, two-digit cost, 53 characters)");
			return null;
		}
		int cost = Integer.parseInt(m.group(1));
		if (cost < 4 || cost > BCRYPT_MAX_COST) {
			checks.problem(field, "has bcrypt cost " + cost + "; Foyer takes 4 to " + BCRYPT_MAX_COST);
			return null;
		}
		return "{bcrypt}" + hash;
	}

	private static String argon2(FieldChecks checks, String field, String hash) {
		Argon2PasswordHashes.Stored stored = Argon2PasswordHashes.Stored.parse(hash);
		if (stored == null) {
			checks.problem(field, "is not a well-formed Argon2 PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)");
			return null;
		}
		String limits = argon2Limits(stored.memoryKib(), stored.iterations(), stored.parallelism(), stored.salt().length,
				stored.hash().length);
		if (limits != null) {
			checks.problem(field, limits);
			return null;
		}
		return "{argon2}" + hash;
	}

	private static String argon2Limits(int memoryKib, int iterations, int parallelism, int saltBytes, int hashBytes) {
		if (parallelism < 1 || parallelism > ARGON2_MAX_PARALLELISM) {
			return "has Argon2 parallelism " + parallelism + "; Foyer takes 1 to " + ARGON2_MAX_PARALLELISM;
		}
		if (memoryKib < 8 * parallelism || memoryKib > ARGON2_MAX_MEMORY_KIB) {
			return "has Argon2 memory " + memoryKib + " KiB; Foyer takes " + 8 * parallelism + " to "
					+ ARGON2_MAX_MEMORY_KIB + " KiB";
		}
		if (iterations < 1 || iterations > ARGON2_MAX_ITERATIONS) {
			return "has " + iterations + " Argon2 iterations; Foyer takes 1 to " + ARGON2_MAX_ITERATIONS;
		}
		if (saltBytes < 8 || saltBytes > 64) {
			return "has a salt of " + saltBytes + " bytes; Argon2 salts are 8 to 64 bytes";
		}
		if (hashBytes < 4 || hashBytes > 64) {
			return "has a hash of " + hashBytes + " bytes; Foyer takes 4 to 64";
		}
		return null;
	}

	private static String pbkdf2(FieldChecks checks, String field, String hash) {
		Pbkdf2PasswordHashes.Stored stored = Pbkdf2PasswordHashes.Stored.parse(hash);
		if (stored == null) {
			checks.problem(field, "is not a well-formed PBKDF2 string ($pbkdf2-sha256$i=…$salt$hash)");
			return null;
		}
		String limits = pbkdf2Limits(stored.algorithm(), stored.iterations(), stored.salt().length, stored.hash().length);
		if (limits != null) {
			checks.problem(field, limits);
			return null;
		}
		return "{pbkdf2}" + Pbkdf2PasswordHashes.format(stored.algorithm(), stored.iterations(), stored.salt(),
				stored.hash());
	}

	private static String pbkdf2Limits(String algorithm, int iterations, int saltBytes, int hashBytes) {
		if (saltBytes < 1 || saltBytes > 64) {
			return "has a salt of " + saltBytes + " bytes; Foyer takes 1 to 64";
		}
		if (hashBytes < 16 || hashBytes > 64) {
			return "has a hash of " + hashBytes + " bytes; Foyer takes 16 to 64";
		}
		int digestBytes = switch (algorithm) {
			case "pbkdf2-sha512" -> 64;
			case "pbkdf2-sha256" -> 32;
			default -> 20;
		};
		long work = (long) iterations * ((hashBytes + digestBytes - 1) / digestBytes);
		if (iterations < 1 || work > PBKDF2_MAX_WORK) {
			return "has " + iterations + " iterations; Foyer takes 1 to " + PBKDF2_MAX_WORK
					+ " iterations times blocks of output (" + hashBytes + " bytes of " + algorithm + " are "
					+ (hashBytes + digestBytes - 1) / digestBytes + " blocks)";
		}
		return null;
	}

	private static String fromObject(FieldChecks checks, String field, JsonNode given) {
		JsonNode algorithmNode = given.get("algorithm");
		String algorithm = algorithmNode != null && algorithmNode.isString() ? algorithmNode.asString() : null;
		if (algorithm == null) {
			checks.problem(field + ".algorithm", "is required: pbkdf2-sha256, pbkdf2-sha512, pbkdf2 or argon2");
			return null;
		}
		boolean isArgon2 = algorithm.equals("argon2");
		if (!isArgon2 && !Pbkdf2PasswordHashes.ALGORITHMS.containsKey(algorithm)) {
			checks.problem(field + ".algorithm", "'" + algorithm
					+ "' is not a hash algorithm Foyer takes: pbkdf2-sha256, pbkdf2-sha512, pbkdf2 or argon2");
			return null;
		}
		Set<String> known = isArgon2 ? ARGON2_FIELDS : PBKDF2_FIELDS;
		int problems = checks.problems().size();
		for (String name : given.propertyNames()) {
			if (!known.contains(name)) {
				checks.problem(field + "." + name, "is not a known field of an " + algorithm + " hash");
			}
		}
		Integer iterations = whole(checks, field + ".iterations", given.get("iterations"));
		byte[] salt = base64(checks, field + ".salt", given.get("salt"));
		byte[] value = base64(checks, field + ".value", given.get("value"));
		if (!isArgon2) {
			if (checks.problems().size() > problems) {
				return null;
			}
			String limits = pbkdf2Limits(algorithm, iterations, salt.length, value.length);
			if (limits != null) {
				checks.problem(field, limits);
				return null;
			}
			return "{pbkdf2}" + Pbkdf2PasswordHashes.format(algorithm, iterations, salt, value);
		}
		Integer memory = whole(checks, field + ".memory", given.get("memory"));
		Integer parallelism = whole(checks, field + ".parallelism", given.get("parallelism"));
		String type = oneOf(checks, field + ".type", given.get("type"), List.of("id", "i", "d"));
		JsonNode versionNode = given.get("version");
		String version = versionNode == null ? "1.3" : oneOf(checks, field + ".version", versionNode, List.of("1.3", "1.0"));
		if (checks.problems().size() > problems) {
			return null;
		}
		String limits = argon2Limits(memory, iterations, parallelism, salt.length, value.length);
		if (limits != null) {
			checks.problem(field, limits);
			return null;
		}
		Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
		return "{argon2}$argon2" + type + "$v=" + (version.equals("1.3") ? 19 : 16) + "$m=" + memory + ",t=" + iterations
				+ ",p=" + parallelism + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(value);
	}

	private static Integer whole(FieldChecks checks, String field, JsonNode node) {
		if (node == null || !node.isInt()) {
			checks.problem(field, "is required: a whole number");
			return null;
		}
		return node.asInt();
	}

	private static byte[] base64(FieldChecks checks, String field, JsonNode node) {
		if (node == null || !node.isString() || node.asString().isEmpty()) {
			checks.problem(field, "is required: base64 text");
			return null;
		}
		try {
			return Base64.getDecoder().decode(node.asString());
		}
		catch (IllegalArgumentException ex) {
			checks.problem(field, "is not base64");
			return null;
		}
	}

	private static String oneOf(FieldChecks checks, String field, JsonNode node, List<String> allowed) {
		if (node == null || !node.isString() || !allowed.contains(node.asString())) {
			checks.problem(field, "must be one of " + allowed);
			return null;
		}
		return node.asString();
	}

}
