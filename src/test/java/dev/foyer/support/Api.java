package dev.foyer.support;

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
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small client of a running Foyer over real HTTP, for tests: the admin API with bearer tokens, and the token
 * endpoint with client credentials.
 */
public final class Api {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private String adminToken;

	public Api(int port) {
		this.base = "http://localhost:" + port;
	}

	public String base() {
		return this.base;
	}

	public String issuer(String tenant) {
		return this.base + "/t/" + tenant;
	}

	public record Response(int status, java.net.http.HttpHeaders headers, String text) {

		public JsonNode json() {
			return JSON.readTree(this.text);
		}

		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

	}

	/** A token of the bootstrap service application: a Global administrator. */
	public String adminToken() {
		if (this.adminToken == null) {
			this.adminToken = clientCredentials("admin", TestFoyer.CLIENT_ID, TestFoyer.CLIENT_SECRET).json()
				.get("access_token")
				.asString();
		}
		return this.adminToken;
	}

	public Response clientCredentials(String tenant, String clientId, String secret) {
		return clientCredentials(tenant, clientId, secret, null);
	}

	/** A client_credentials grant asking for {@code scope} (none when null). */
	public Response clientCredentials(String tenant, String clientId, String secret, String scope) {
		String basic = Base64.getEncoder()
			.encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
		return send(HttpRequest.newBuilder(URI.create(issuer(tenant) + "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"
					+ (scope == null ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)))));
	}

	public Response get(String path, String token) {
		return send(request(path, token).GET());
	}

	public Response get(String path) {
		return get(path, adminToken());
	}

	public Response post(String path, Object body, String token) {
		return send(request(path, token).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body))));
	}

	public Response post(String path, Object body) {
		return post(path, body, adminToken());
	}

	/** A body of JSON lines, as a bulk import takes it. */
	public Response postLines(String path, String lines, String token) {
		return send(request(path, token).header("Content-Type", "application/x-ndjson")
			.POST(HttpRequest.BodyPublishers.ofString(lines)));
	}

	public Response postLines(String path, String lines) {
		return postLines(path, lines, adminToken());
	}

	public Response patch(String path, Object body, String token) {
		return send(request(path, token).header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body))));
	}

	public Response patch(String path, Object body) {
		return patch(path, body, adminToken());
	}

	public Response put(String path, Object body) {
		return send(request(path, adminToken()).header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body))));
	}

	public Response delete(String path, String token) {
		return send(request(path, token).DELETE());
	}

	public Response delete(String path) {
		return delete(path, adminToken());
	}

	/** Creates a tenant with a unique id and returns the id. */
	public String newTenant(String prefix) {
		String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		Response created = post("/api/v1/tenants", Map.of("id", id, "displayName", "Tenant " + id));
		if (created.status() != 201) {
			throw new IllegalStateException("Could not create tenant: " + created.text());
		}
		return id;
	}

	private HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : this.base + path))
			.timeout(Duration.ofSeconds(30));
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

	public Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
