package dev.foyer.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest extends FoyerIntegrationTest {

	@Test
	void livenessAndReadinessIncludingTheDatabase() {
		Api.Response live = this.api.get("/actuator/health/liveness", null);
		assertThat(live.status()).isEqualTo(200);
		assertThat(live.json().get("status").asString()).isEqualTo("UP");
		Api.Response ready = this.api.get("/actuator/health/readiness", null);
		assertThat(ready.status()).isEqualTo(200);
		assertThat(ready.json().get("status").asString()).isEqualTo("UP");
	}

	@Test
	void prometheusMetrics() {
		this.api.get("/api/v1/tenants");
		Api.Response metrics = this.api.get("/actuator/prometheus", null);
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.text()).contains("http_server_requests_seconds_count").contains("hikaricp_connections")
			.contains("jvm_memory_used_bytes");
	}

	@Test
	void everyRequestHasAnIdInItsAnswerAndInOneLogLine(CapturedOutput output) {
		Api.Response answer = this.api.get("/api/v1/tenants/no-such-tenant");
		String requestId = answer.header("X-Request-Id");
		assertThat(requestId).isNotBlank();
		assertThat(answer.json().get("requestId").asString()).isEqualTo(requestId);
		org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(output.getOut())
			.containsPattern("\\[" + requestId + "\\].*GET /api/v1/tenants/no-such-tenant 404 \\d+ms"));
	}

	@Test
	void securityHeadersOnEveryAnswer() {
		List<Api.Response> answers = new ArrayList<>();
		for (String path : new String[] { "/api/v1/tenants", "/t/admin/.well-known/openid-configuration",
				"/actuator/health",
				// Written by a filter before Spring Security's chains: an unknown tenant.
				"/t/no-such-tenant/.well-known/openid-configuration" }) {
			answers.add(this.api.get(path));
		}
		// Written by a filter that throws away what the chain had begun: an oversized body.
		answers.add(this.api.post("/api/v1/tenants/admin/users", "{\"displayName\":\"" + "x".repeat(1_100_000) + "\"}"));
		// A page rendered after an exception left the filter chains: a form body Tomcat cannot decode.
		answers.add(this.api.send(HttpRequest.newBuilder(URI.create(this.api.base() + "/t/admin/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString("flow=x&csrf=y&email=%ZZ&password=z"))));
		assertThat(answers).extracting(Api.Response::status).containsExactly(200, 200, 200, 404, 413, 400);
		for (Api.Response answer : answers) {
			String what = answer.status() + " " + answer.text().substring(0, Math.min(80, answer.text().length()));
			assertThat(answer.headers().allValues("X-Content-Type-Options")).as(what).containsExactly("nosniff");
			assertThat(answer.headers().allValues("Content-Security-Policy")).as(what).hasSize(1);
			assertThat(answer.header("Content-Security-Policy")).as(what).contains("frame-ancestors 'none'");
			assertThat(answer.headers().allValues("Referrer-Policy")).as(what).containsExactly("no-referrer");
			assertThat(answer.headers().allValues("X-Frame-Options")).as(what).containsExactly("DENY");
			assertThat(answer.header("Strict-Transport-Security")).as(what + ": the base URL is http").isNull();
		}
		assertThat(answers.get(5).text()).doesNotContain("Exception").contains("could not be accepted");
	}

	@Test
	void requestsTomcatRefusesItselfGetFoyersPageWithTheSecurityHeaders() throws Exception {
		for (String path : new String[] { "/t/admin/x%00y/login", "/t/admin/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
				"/api/v1/tenants/x%00y" }) {
			String answer = rawGet(path, "");
			assertThat(answer).as(path).startsWith("HTTP/1.1 400");
			String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
			assertThat(head).as(path)
				.contains("content-security-policy: default-src 'self'; frame-ancestors 'none'")
				.contains("x-content-type-options: nosniff")
				.contains("x-frame-options: deny")
				.contains("referrer-policy: no-referrer");
			assertThat(answer).as(path).doesNotContain("Tomcat").doesNotContain("HTTP Status");
			if (path.startsWith("/api/")) {
				// The admin API's clients get problem+json here too.
				assertThat(head).as(path).contains("content-type: application/problem+json");
				assertThat(answer).as(path).contains("\"status\":400").contains("\"instance\":\"/api/v1/tenants/x%00y\"");
			}
			else {
				assertThat(answer).as(path).contains("<h1>Bad request</h1>");
			}
		}
	}

	@Test
	void unexpectedPathsAnswerCleanly() {
		Api.Response missing = this.api.get("/api/v1/nothing-here");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.text()).doesNotContain("Exception").doesNotContain("static resource");
		assertThat(missing.json().get("detail").asString()).isEqualTo("There is nothing at this path");
		// Refused by Spring Security's firewall before any controller: problem+json too, with the request id.
		Api.Response refused = this.api.get("/api/v1/tenants/x%2e%2e");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("requestId").asString()).isEqualTo(refused.header("X-Request-Id"));
		assertThat(refused.json().get("instance").asString()).isEqualTo("/api/v1/tenants/x%2e%2e");
		Api.Response wrongMethod = this.api.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create(this.api.base() + "/api/v1/tenants"))
			.header("Authorization", "Bearer " + this.api.adminToken())
			.PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(wrongMethod.status()).isEqualTo(405);
		assertThat(wrongMethod.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void parametersThatDoNotDecodeAre400ToEveryCaller(CapturedOutput output) throws Exception {
		// Java's URI refuses to send such a query, hence the socket.
		for (String query : new String[] { "users?search=%ZZ", "users?limit=%G1", "auditLogs?action=%00" }) {
			String undecodable = rawGet("/api/v1/tenants/admin/" + query,
					"Authorization: Bearer " + this.api.adminToken() + "\r\n");
			assertThat(undecodable).as(query).startsWith("HTTP/1.1 400")
				.containsIgnoringCase("content-type: application/problem+json")
				.contains("not correctly percent-encoded");
		}
		// A token endpoint's client reads OAuth's error answer.
		Api.Response token = this.api.send(HttpRequest.newBuilder(URI.create(this.api.base() + "/t/admin/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=%ZZ")));
		assertThat(token.status()).isEqualTo(400);
		assertThat(token.json().get("error").asString()).isEqualTo("invalid_request");
		// A person gets a page (securityHeadersOnEveryAnswer checks its headers), and the log says what was answered.
		Api.Response page = this.api.send(HttpRequest.newBuilder(URI.create(this.api.base() + "/t/admin/signup/email"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString("flow=x&csrf=y&email=%ZZ")));
		assertThat(page.status()).isEqualTo(400);
		Api.Response nul = this.api.send(HttpRequest.newBuilder(URI.create(this.api.base() + "/t/admin/signup/email"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString("flow=a%00b&csrf=y&email=ada@example.com")));
		assertThat(nul.status()).isEqualTo(400);
		assertThat(page.text()).contains("This request could not be accepted");
		String requestId = page.header("X-Request-Id");
		org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(output.getOut())
			.containsPattern("\\[" + requestId + "\\].*POST /t/admin/signup/email 400 \\d+ms"));
	}

	/** An answer as Tomcat wrote it, to a request that Java's HTTP client would refuse to send. */
	private String rawGet(String pathAndQuery, String headers) throws java.io.IOException {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			socket.getOutputStream()
				.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n")
					.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

}
