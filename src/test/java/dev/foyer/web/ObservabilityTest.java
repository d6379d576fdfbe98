package dev.foyer.web;

import static org.assertj.core.api.Assertions.assertThat;

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
		for (String path : new String[] { "/api/v1/tenants", "/t/admin/.well-known/openid-configuration",
				"/actuator/health" }) {
			Api.Response answer = this.api.get(path);
			assertThat(answer.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
			assertThat(answer.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
			assertThat(answer.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
			assertThat(answer.header("X-Frame-Options")).as(path).isEqualTo("DENY");
			assertThat(answer.header("Strict-Transport-Security")).as(path + ": the base URL is http").isNull();
		}
	}

	@Test
	void requestsTomcatRefusesItselfGetFoyersPageWithTheSecurityHeaders() throws Exception {
		for (String path : new String[] { "/t/admin/x%00y/login", "/t/admin/%2e%2e/%2e%2e/%2e%2e/etc/passwd" }) {
			String answer;
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
				socket.getOutputStream()
					.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
						.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
				answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			}
			assertThat(answer).as(path).startsWith("HTTP/1.1 400");
			String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
			assertThat(head).as(path)
				.contains("content-security-policy: default-src 'self'; frame-ancestors 'none'")
				.contains("x-content-type-options: nosniff")
				.contains("x-frame-options: deny")
				.contains("referrer-policy: no-referrer");
			assertThat(answer).as(path).contains("<h1>Bad request</h1>").doesNotContain("Tomcat").doesNotContain("HTTP Status");
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

}
