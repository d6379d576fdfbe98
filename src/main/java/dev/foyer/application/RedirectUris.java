package dev.foyer.application;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.foyer.web.FieldChecks;

/**
 * The redirect URI rules of RFC 9700 and RFC 8252: absolute, no fragment, no wildcards, https except on loopback
 * hosts, private-use (reverse domain) schemes for native apps only, matched later exactly as registered.
 */
final class RedirectUris {

	static final int MAX_COUNT = 100;

	static final int MAX_LENGTH = 2000;

	private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

	private RedirectUris() {
	}

	static List<String> check(FieldChecks checks, String field, List<String> uris, AppType type) {
		if (uris == null) {
			return List.of();
		}
		if (type == AppType.service && !uris.isEmpty()) {
			checks.problem(field, "a service application has no redirect URIs");
			return List.of();
		}
		if (uris.size() > MAX_COUNT) {
			checks.problem(field, "at most " + MAX_COUNT + " are allowed");
			return List.of();
		}
		List<String> accepted = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < uris.size(); i++) {
			String name = field + "[" + i + "]";
			String uri = uris.get(i);
			String problem = problem(uri, type);
			if (problem != null) {
				checks.problem(name, problem);
			}
			else if (!seen.add(uri)) {
				checks.problem(name, "is listed twice");
			}
			else {
				accepted.add(uri);
			}
		}
		return List.copyOf(accepted);
	}

	/**
	 * A back-channel logout URI (OpenID Connect Back-Channel Logout 1.0): a web app's server, which Foyer calls
	 * itself, so the same rules as its redirect URIs. Public apps have no server to call, services no sessions.
	 */
	static String checkBackchannelLogout(FieldChecks checks, String field, String uri, AppType type) {
		String problem = type != AppType.web ? "only a web application receives back-channel logout" : problem(uri, type);
		if (problem != null) {
			checks.problem(field, problem);
			return null;
		}
		return uri;
	}

	private static String problem(String raw, AppType type) {
		if (raw == null || raw.isBlank()) {
			return "must not be empty";
		}
		if (raw.length() > MAX_LENGTH) {
			return "must be at most " + MAX_LENGTH + " characters";
		}
		if (raw.contains("*")) {
			return "must not contain wildcards";
		}
		URI uri;
		try {
			uri = new URI(raw);
		}
		catch (URISyntaxException ex) {
			return "is not a valid URI";
		}
		if (!uri.isAbsolute()) {
			return "must be an absolute URI";
		}
		if (uri.getRawFragment() != null || raw.contains("#")) {
			return "must not have a fragment";
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (scheme.equals("https")) {
			return uri.getHost() == null ? "must name a host" : null;
		}
		if (scheme.equals("http")) {
			String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
			return LOOPBACK.contains(host) ? null : "must use https (http is allowed only for localhost, 127.0.0.1 and [::1])";
		}
		if (type == AppType.nativeApp && scheme.contains(".")) {
			return null;
		}
		return type == AppType.nativeApp
				? "must use https, loopback http, or a private-use scheme in reverse domain form (com.example.app:/callback)"
				: "must use https (http is allowed only for localhost, 127.0.0.1 and [::1])";
	}

}
