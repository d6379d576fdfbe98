package dev.foyer.bench;

import java.net.http.HttpClient;

import dev.foyer.support.Person;

/**
 * A person signing in to a Foyer tenant without a browser, with the steps the tests use ({@link Person}): authorize
 * (which answers with the sign-in page), its form with the CSRF token and cookies, the redirect with the code, and the
 * exchange.
 *
 * @param base the server's address, {@code http://127.0.0.1:port}; every step goes there
 */
record FoyerLogin(String base, String tenant, String clientId, String clientSecret, String redirectUri)
		implements Load.LoginFlow {

	@Override
	public String login(HttpClient browser, String email, String password) throws Exception {
		// A fresh Person is a fresh cookie jar: each login starts signed out, as the browser flows of Keycloak do.
		Person.Tokens tokens = new Person(browser).signIn(new Person.WebApp(this.tenant, this.clientId, this.clientSecret,
				this.redirectUri), email, password, this.base, this.base);
		if (tokens.status() != 200) {
			throw new IllegalStateException("the code exchange answered " + tokens.status());
		}
		return tokens.json().toString();
	}

}
