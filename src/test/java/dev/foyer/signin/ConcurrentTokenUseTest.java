package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/**
 * Tokens presented at once by many clients, with a pool of only two database connections: every request must get
 * by with one connection at a time. A request that held one while asking for a second (a check made while a result
 * set was still open) left the whole pool waiting, and answered 500 after the pool's timeout.
 */
@ContextConfiguration(initializers = ConcurrentTokenUseTest.SmallPool.class)
class ConcurrentTokenUseTest extends FoyerIntegrationTest {

	/** Foyer on H2 with two pooled connections that time out after two seconds. */
	static final class SmallPool implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			new TestFoyer.OnOwnH2().initialize(context);
			org.springframework.boot.test.util.TestPropertyValues.of("spring.datasource.hikari.maximum-pool-size=2",
					"spring.datasource.hikari.connection-timeout=2000").applyTo(context);
		}

	}

	@Test
	void introspectionAndUserinfoNeverWaitForASecondConnection() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "pool", "web");
		String email = "pool." + System.nanoTime() + "@example.com";
		t.user(email);
		OIDCTokenResponse tokens;
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			tokens = SignInSupport.tokens(rp, SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid"));
		}
		String access = tokens.getOIDCTokens().getAccessToken().getValue();
		String basic = "Basic " + Base64.getEncoder().encodeToString((t.app.get("clientId").asString() + ":"
				+ t.app.get("clientSecret").asString()).getBytes(StandardCharsets.UTF_8));
		String issuer = this.api.issuer(t.tenant);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpRequest introspect = HttpRequest.newBuilder(URI.create(issuer + "/oauth2/introspect"))
			.header("Authorization", basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("token=" + access))
			.build();
		HttpRequest userinfo = HttpRequest.newBuilder(URI.create(issuer + "/userinfo"))
			.header("Authorization", "Bearer " + access)
			.build();

		List<Callable<Integer>> calls = new ArrayList<>();
		for (int i = 0; i < 48; i++) {
			HttpRequest request = i % 2 == 0 ? introspect : userinfo;
			calls.add(() -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
		}
		try (var clients = Executors.newFixedThreadPool(16)) {
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> answer : clients.invokeAll(calls)) {
				statuses.add(answer.get());
			}
			assertThat(statuses).containsOnly(200);
		}
	}

}
