package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.AtOnce;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.MailServer;
import dev.foyer.support.Person;
import dev.foyer.support.TestFoyer;

/**
 * Guesses posted all at once are held to the limits of guesses posted one after the other. A mailed code allows 5
 * attempts: posted together, they were counted as one (each read the count before any had saved it). A password
 * allows 10 failures before the lockout: posted together, every one passed the lockout check before the first
 * failure was recorded, its password check taking tens of milliseconds.
 */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class ConcurrentGuessesTest extends FoyerIntegrationTest {

	private static final int AT_ONCE = 8;

	/** A person on the sign-up page that asks for the code mailed to {@code email}. */
	private record SignUpAtCode(Person person, String origin, String tenant, String email, String flow, String csrf) {

		/** Posts to the sign-up's {@code step} ("code" or "resend"), with the code when there is one. */
		HttpResponse<String> post(String step, String code) throws Exception {
			Map<String, String> form = code == null ? Map.of("flow", this.flow, "csrf", this.csrf)
					: Map.of("flow", this.flow, "csrf", this.csrf, "code", code);
			return this.person.post(this.origin, "/t/" + this.tenant + "/signup/" + step, form);
		}

	}

	private SignUpAtCode signUpToTheCode(String prefix, String email) throws Exception {
		SignInSupport t = new SignInSupport(this.api, prefix, "web");
		Person person = new Person();
		Person.WebApp app = new Person.WebApp(t.tenant, t.app.get("clientId").asString(), t.app.get("clientSecret").asString(),
				t.callback.toString());
		String origin = this.api.base();
		var signIn = person.get(origin, Person.authorize(app, app.redirectUri(), Person.challenge(Person.random())));
		var signUp = person.get(origin, Person.link(signIn.body(), "/t/" + t.tenant + "/signup"));
		var codeStep = person.post(origin, "/t/" + t.tenant + "/signup/email", Map.of("flow", Person.field(signUp.body(), "flow"),
				"csrf", Person.field(signUp.body(), "csrf"), "email", email));
		return new SignUpAtCode(person, origin, t.tenant, email, Person.field(codeStep.body(), "flow"),
				Person.field(codeStep.body(), "csrf"));
	}

	@Test
	void guessesPostedAtOnceAreEachCountedAgainstTheFiveAttempts() throws Exception {
		SignUpAtCode at = signUpToTheCode("guesses", "guessed." + System.nanoTime() + "@example.com");
		String right = MailServer.latestCode(at.email());
		String wrong = right.equals("000000") ? "111111" : "000000";

		for (HttpResponse<String> answer : AtOnce.run(AT_ONCE, () -> at.post("code", wrong))) {
			assertThat(answer.statusCode()).isEqualTo(200);
		}
		// Eight wrong guesses spent the code: the right one is refused now.
		assertThat(at.post("code", right).body()).doesNotContain("/t/" + at.tenant() + "/signup/details");
	}

	/** "Send a new code" posted many times at once mails one code: the 30 s between codes held only one by one. */
	@Test
	void resendsPostedAtOnceMailOneCode() throws Exception {
		SignUpAtCode at = signUpToTheCode("resends", "flooded." + System.nanoTime() + "@example.com");
		MailServer.latestCode(at.email());
		int mailed = MailServer.mailsTo(at.email()).size();
		// The 30 s since the first code have passed.
		String data = this.jdbc.sql("select data from flow_run where id = ?").param(at.flow()).query(String.class).single();
		this.jdbc.sql("update flow_run set data = ? where id = ?")
			.params(data.replaceAll("\"resendAfter\":\"\\d+\"", "\"resendAfter\":\"0\""), at.flow())
			.update();

		List<HttpResponse<String>> answers = AtOnce.run(AT_ONCE, () -> at.post("resend", null));
		assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
		MailServer.latestAfter(at.email(), mailed, MailServer.SIX_DIGIT_CODE);
		Thread.sleep(1000);
		assertThat(MailServer.mailsTo(at.email())).as("mails after the resends").hasSize(mailed + 1);
	}

	@Test
	void passwordsPostedAtOnceGetNoMoreChecksThanTheLockoutAllows() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "burst", "web");
		t.user("burst@example.com");
		Person person = new Person();
		Person.WebApp app = new Person.WebApp(t.tenant, t.app.get("clientId").asString(), t.app.get("clientSecret").asString(),
				t.callback.toString());
		var page = person.get(this.api.base(), Person.authorize(app, app.redirectUri(), Person.challenge(Person.random())));
		Map<String, String> wrong = Map.of("flow", Person.field(page.body(), "flow"), "csrf", Person.field(page.body(), "csrf"),
				"email", "burst@example.com", "password", "not the password " + System.nanoTime());
		int burst = 2 * SignInThrottle.LOCKOUT_THRESHOLD;
		List<Integer> statuses = AtOnce.run(burst, () -> person.post(this.api.base(), "/t/" + t.tenant + "/login", wrong))
			.stream()
			.map(HttpResponse::statusCode)
			.toList();
		// 200: the password was checked (and was wrong); 429: the lockout answered without checking it.
		assertThat(statuses).containsOnly(200, 429);
		assertThat(statuses.stream().filter(status -> status == 200).count()).as("password checks")
			.isLessThanOrEqualTo(SignInThrottle.LOCKOUT_THRESHOLD);
		assertThat(this.jdbc.sql("select count(*) from sign_in_failure where tenant_id = ?").param(t.tenant)
			.query(Integer.class)
			.single()).as("failures recorded").isEqualTo((int) statuses.stream().filter(status -> status == 200).count());
	}

}
