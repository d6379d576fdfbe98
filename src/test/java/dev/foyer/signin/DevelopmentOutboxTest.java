package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/** Without SMTP (the default run), sign-up codes land in the log and the development outbox page. */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class DevelopmentOutboxTest extends FoyerIntegrationTest {

	@Test
	void signUpCodesAppearInTheOutbox() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "outbox", "web");
		String email = "dev." + System.nanoTime() + "@example.com";
		try (Browser browser = new Browser()) {
			browser.open(t.client().authorizationRequest("openid").toString());
			browser.follow("Create one").fill("Email address", email).click("Send code");
			deliveriesSent();
			browser.open(this.api.base() + "/dev/outbox");
			assertThat(browser.status()).isEqualTo(200);
			assertThat(browser.text()).contains(email).containsPattern("Your verification code is \\d{6}");
		}
	}

}
