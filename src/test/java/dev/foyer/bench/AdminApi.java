package dev.foyer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Foyer's admin API over plain HTTP/1.1 on loopback, as the bootstrap service client: a client_credentials token
 * of the admin tenant (renewed well before its hour is up) sent as a bearer token. Safe for concurrent use.
 */
final class AdminApi {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final long TOKEN_RENEW_NANOS = Duration.ofMinutes(45).toNanos();

	private final HttpClient http;

	private final String base;

	private final String clientId;

	private final String clientSecret;

	private volatile String token;

	private volatile long tokenAt;

	AdminApi(String base, String clientId, String clientSecret) {
		this.base = base;
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	record Answer(int status, String body) {

		JsonNode json() {
			return JSON.readTree(this.body);
		}

	}

	String token() {
		String current = this.token;
		if (current != null && System.nanoTime() - this.tokenAt < TOKEN_RENEW_NANOS) {
			return current;
		}
		synchronized (this) {
			if (this.token == null || System.nanoTime() - this.tokenAt >= TOKEN_RENEW_NANOS) {
				String basic = Base64.getEncoder()
					.encodeToString((URLEncoder.encode(this.clientId, StandardCharsets.UTF_8) + ":"
							+ URLEncoder.encode(this.clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
				Answer answer = send(HttpRequest.newBuilder(URI.create(this.base + "/t/admin/oauth2/token"))
					.timeout(Duration.ofSeconds(30))
					.header("Authorization", "Basic " + basic)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
					.build());
				if (answer.status() != 200) {
					throw new IllegalStateException("The token endpoint answered " + answer.status() + ": " + answer.body());
				}
				JsonNode accessToken = answer.json().get("access_token");
				if (accessToken == null) {
					throw new IllegalStateException("The token answer has no access_token: " + answer.body());
				}
				this.tokenAt = System.nanoTime();
				this.token = accessToken.asString();
			}
			return this.token;
		}
	}

	Answer postJson(String path, Object body) {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	Answer delete(String path) {
		return send(request(path).DELETE().build());
	}

	Answer patchJson(String path, Object body) {
		return send(request(path).header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	Answer get(String path) {
		return send(request(path).GET().build());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token());
	}

	private Answer send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.method() + " " + request.uri().getPath() + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
