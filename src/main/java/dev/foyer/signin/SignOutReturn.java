package dev.foyer.signin;

import java.nio.charset.StandardCharsets;

import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/** Where a person goes back to after signing out: an app's registered post-logout redirect URI, with its state. */
public final class SignOutReturn {

	private SignOutReturn() {
	}

	/** The post-logout redirect URI (already checked against the app's registered ones) with {@code state} added. */
	public static String to(String postLogoutRedirectUri, String state) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(postLogoutRedirectUri);
		if (state != null) {
			uri.queryParam("state", UriUtils.encode(state, StandardCharsets.UTF_8));
		}
		return uri.build(true).toUriString();
	}

}
