package dev.foyer.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person signing in to a Foyer tenant without a browser, as the hosted pages expect one: GET authorize (redirect
 * to the sign-in page), GET the page (its flow id and CSRF token), POST the form, follow the redirect back to
 * authorize, which redirects to the app with the code, and exchange the code.
 *
 * @param base the server's address ({@code http://127.0.0.1:port}); pages are asked for at {@code localhost}, the
 * base URL Foyer is configured with, so that cookies and redirects match
 */
record FoyerLogin(String base, String tenant, String clientId, String clientSecret, String redirectUri)
		implements Load.LoginFlow {

	@Override
	public String login(HttpClient browser, String email, String password) throws Exception {
		Load.Pkce pkce = Load.Pkce.create();
		String site = this.base.replace("127.0.0.1", "localhost");
		String authorize = site + "/t/" + this.tenant + "/oauth2/authorize?response_type=code&client_id=" + this.clientId
				+ "&scope=openid&state=s&redirect_uri=" + Load.enc(this.redirectUri) + "&code_challenge="
				+ pkce.challenge() + "&code_challenge_method=S256";
		HttpResponse<String> toLogin = browser.send(HttpRequest.newBuilder(URI.create(authorize)).build(),
				HttpResponse.BodyHandlers.ofString());
		String loginUrl = absolute(site, toLogin.headers().firstValue("Location").orElseThrow());
		String page = browser.send(HttpRequest.newBuilder(URI.create(loginUrl)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		HttpResponse<String> posted = browser.send(HttpRequest.newBuilder(URI.create(site + "/t/" + this.tenant + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("flow=" + field(page, "flow") + "&csrf=" + Load.enc(field(page, "csrf"))
					+ "&email=" + Load.enc(email) + "&password=" + Load.enc(password)))
			.build(), HttpResponse.BodyHandlers.ofString());
		String back = absolute(site, posted.headers().firstValue("Location").orElseThrow(
				() -> new IllegalStateException("the sign-in form answered " + posted.statusCode())));
		HttpResponse<String> code = browser.send(HttpRequest.newBuilder(URI.create(back)).build(),
				HttpResponse.BodyHandlers.ofString());
		return Load.exchange(this.base + "/t/" + this.tenant + "/oauth2/token", this.clientId, this.clientSecret,
				Load.code(code), this.redirectUri, pkce);
	}

	private static String absolute(String site, String location) {
		return location.startsWith("http") ? location : site + location;
	}

	private static String field(String html, String name) {
		Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
		if (!m.find()) {
			throw new IllegalStateException("no " + name + " on the sign-in page");
		}
		return m.group(1);
	}

}
