package dev.foyer.signin;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;

import dev.foyer.keys.MasterKey;
import dev.foyer.session.Cookies;
import dev.foyer.web.FieldChecks;

/**
 * The browsers an address has signed in with before, so that a lockout an attacker causes does not lock its owner out
 * (what Entra's smart lockout does with familiar locations, and Auth0's brute-force protection with the address and
 * IP pair). After each sign-in the browser keeps a tenant-scoped cookie that names the address: a random id per
 * address and browser, with a keyed digest (under the master key) of the tenant, the address and that id, so that no
 * one can make one for an address without the key. {@link SignInThrottle} counts the failures of a known browser
 * apart from the address's shared count. The cookie holds the last {@value #KEPT} addresses; it shows none of them.
 */
@Component
class KnownBrowsers {

	static final String COOKIE = "foyer_known";

	static final int KEPT = 5;

	/** As long as Entra remembers a familiar sign-in location; each sign-in renews it. */
	static final Duration LIFETIME = Duration.ofDays(180);

	private static final String PURPOSE = "known-browser";

	private final MasterKey masterKey;

	private final Cookies cookies;

	private final SecureRandom random = new SecureRandom();

	KnownBrowsers(MasterKey masterKey, Cookies cookies) {
		this.masterKey = masterKey;
		this.cookies = cookies;
	}

	/** One entry of the cookie: the browser's id for an address, and the digest that vouches for it. */
	private record Entry(String id, String mac) {

		static Optional<Entry> parse(String text) {
			int dot = text.indexOf('.');
			return dot <= 0 || dot == text.length() - 1 ? Optional.empty()
					: Optional.of(new Entry(text.substring(0, dot), text.substring(dot + 1)));
		}

		@Override
		public String toString() {
			return this.id + "." + this.mac;
		}

	}

	/** This browser's id for the address, when it signed in with it before; empty for any other browser. */
	Optional<String> browserOf(HttpServletRequest request, String tenantId, String email) {
		return entries(request).stream().filter(entry -> vouched(entry, tenantId, email)).map(Entry::id).findFirst();
	}

	/** Remembers, after a sign-in, that this browser signed in with the address: first in the cookie, kept or new. */
	void remember(HttpServletRequest request, HttpServletResponse response, String tenantId, String email) {
		List<Entry> entries = new ArrayList<>(entries(request));
		Entry entry = entries.stream()
			.filter(e -> vouched(e, tenantId, email))
			.findFirst()
			.orElseGet(() -> issue(tenantId, email));
		entries.remove(entry);
		entries.add(0, entry);
		List<String> kept = entries.stream().limit(KEPT).map(Entry::toString).toList();
		this.cookies.set(response, tenantId, COOKIE, String.join("~", kept), LIFETIME);
	}

	private Entry issue(String tenantId, String email) {
		byte[] id = new byte[16];
		this.random.nextBytes(id);
		String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
		return new Entry(encoded, this.masterKey.mac(PURPOSE, subject(tenantId, email, encoded)));
	}

	private boolean vouched(Entry entry, String tenantId, String email) {
		return this.masterKey.macMatches(PURPOSE, subject(tenantId, email, entry.id()), entry.mac());
	}

	private static String subject(String tenantId, String email, String id) {
		return tenantId + "\n" + FieldChecks.normaliseEmail(email) + "\n" + id;
	}

	/** The cookie's well-formed entries, at most {@value #KEPT}: a longer or garbled cookie costs no more digests. */
	private static List<Entry> entries(HttpServletRequest request) {
		return Cookies.read(request, COOKIE)
			.map(value -> java.util.Arrays.stream(value.split("~", KEPT + 1))
				.limit(KEPT)
				.map(Entry::parse)
				.flatMap(Optional::stream)
				.toList())
			.orElse(List.of());
	}

}
