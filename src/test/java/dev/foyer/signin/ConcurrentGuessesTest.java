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

	@Test
	void guessesPostedAtOnceAreEachCountedAgainstTheFiveAttempts() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "guesses", "web");
		Person person = new Person();
		Person.WebApp app = new Person.WebApp(t.tenant, t.app.get("clientId").asString(), t.app.get("clientSecret").asString(),
				t.callback.toString());
		String origin = this.api.base();
		String email = "guessed." + System.nanoTime() + "@example.com";
		var signIn = person.get(origin, Person.authorize(app, app.redirectUri(), Person.challenge(Person.random())));
		var signUp = person.get(origin, Person.link(signIn.body(), "/t/" + t.tenant + "/signup"));
		var codeStep = person.post(origin, "/t/" + t.tenant + "/signup/email", Map.of("flow", Person.field(signUp.body(), "flow"),
				"csrf", Person.field(signUp.body(), "csrf"), "email", email));
		String flow = Person.field(codeStep.body(), "flow");
		String csrf = Person.field(codeStep.body(), "csrf");
		String right = MailServer.latestCode(email);
		String wrong = right.equals("000000") ? "111111" : "000000";

		for (HttpResponse<String> answer : AtOnce.run(AT_ONCE, () -> person.post(origin, "/t/" + t.tenant + "/signup/code",
				Map.of("flow", flow, "csrf", csrf, "code", wrong)))) {
			assertThat(answer.statusCode()).isEqualTo(200);
		}
		// Eight wrong guesses spent the code: the right one is refused now.
		var late = person.post(origin, "/t/" + t.tenant + "/signup/code", Map.of("flow", flow, "csrf", csrf, "code", right));
		assertThat(late.body()).doesNotContain("/t/" + t.tenant + "/signup/details");
	}

	/** "Send a new code" posted many times at once mails one code: the 30 s between codes held only one by one. */
	@Test
	void resendsPostedAtOnceMailOneCode() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "resends", "web");
		Person person = new Person();
		Person.WebApp app = new Person.WebApp(t.tenant, t.app.get("clientId").asString(), t.app.get("clientSecret").asString(),
				t.callback.toString());
		String origin = this.api.base();
		String email = "flooded." + System.nanoTime() + "@example.com";
		var signIn = person.get(origin, Person.authorize(app, app.redirectUri(), Person.challenge(Person.random())));
		var signUp = person.get(origin, Person.link(signIn.body(), "/t/" + t.tenant + "/signup"));
		var codeStep = person.post(origin, "/t/" + t.tenant + "/signup/email", Map.of("flow", Person.field(signUp.body(), "flow"),
				"csrf", Person.field(signUp.body(), "csrf"), "email", email));
		String flow = Person.field(codeStep.body(), "flow");
		String csrf = Person.field(codeStep.body(), "csrf");
		MailServer.latestCode(email);
		int mailed = MailServer.mailsTo(email).size();
		// The 30 s since the first code have passed.
		String data = this.jdbc.sql("select data from flow_run where id = ?").param(flow).query(String.class).single();
		this.jdbc.sql("update flow_run set data = ? where id = ?")
			.params(data.replaceAll("\"resendAfter\":\"\\d+\"", "\"resendAfter\":\"0\""), flow)
			.update();

		List<HttpResponse<String>> answers = AtOnce.run(AT_ONCE, () -> person.post(origin, "/t/" + t.tenant + "/signup/resend",
				Map.of("flow", flow, "csrf", csrf)));
		assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
		MailServer.latestAfter(email, mailed, java.util.regex.Pattern.compile("\\b(\\d{6})\\b"));
		Thread.sleep(1000);
		assertThat(MailServer.mailsTo(email)).as("mails after the resends").hasSize(mailed + 1);
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
