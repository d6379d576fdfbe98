package dev.foyer.bench;

import java.net.http.HttpClient;

import dev.foyer.support.MailServer;
import dev.foyer.support.Person;

/**
 * A person signing up to a Foyer tenant without a browser, with the steps the tests use ({@link Person#signUp}):
 * authorize, the sign-in page's link to sign-up, the address, the 6-digit code read from the mails Foyer sent by
 * SMTP to the sink in this JVM ({@link MailServer}), password and name, the redirect with the code, the exchange.
 *
 * @param base the server's address, {@code http://127.0.0.1:port}; every step goes there
 */
record FoyerSignUp(String base, String tenant, String clientId, String clientSecret, String redirectUri)
		implements Load.SignUpFlow {

	@Override
	public String signUp(HttpClient browser, Person.Newcomer newcomer) throws Exception {
		// A fresh Person is a fresh cookie jar, as in FoyerLogin.
		Person.Tokens tokens = new Person(browser).signUp(new Person.WebApp(this.tenant, this.clientId, this.clientSecret,
				this.redirectUri), newcomer, MailServer::latestCode, this.base);
		if (tokens.status() != 200) {
			throw new IllegalStateException("the code exchange answered " + tokens.status());
		}
		return tokens.json().toString();
	}

}
