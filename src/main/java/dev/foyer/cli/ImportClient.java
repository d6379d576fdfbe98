package dev.foyer.cli;

import java.io.IOException;
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
 * Foyer's bulk import endpoint over HTTP, for the command line and the benchmark: sends a chunk of JSON lines and
 * answers the import report. Safe for several threads at once. Authenticates with a bearer token given as it is, or
 * obtained with client_credentials from a tenant's token endpoint (and obtained again when it expires).
 */
public final class ImportClient {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final String base;

	private final String tenant;

	private final Credentials credentials;

	private String token;

	/** How the client authenticates: a token, or a service application's client id and secret in a tenant. */
	public record Credentials(String token, String clientId, String clientSecret, String tokenTenant) {

		public static Credentials ofToken(String token) {
			return new Credentials(token, null, null, null);
		}

		public static Credentials ofClient(String clientId, String clientSecret, String tokenTenant) {
			return new Credentials(null, clientId, clientSecret, tokenTenant);
		}

	}

	/** A refusal the caller cannot fix by retrying: the problem's status and detail. */
	public static final class Refused extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final int status;

		Refused(int status, String message) {
			super(message);
			this.status = status;
		}

		public int status() {
			return this.status;
		}

	}

	public ImportClient(String base, String tenant, Credentials credentials) {
		this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		this.tenant = tenant;
		this.credentials = credentials;
		this.token = credentials.token();
	}

	/**
	 * Imports the lines in {@code body}, the first of which is line {@code startLine} of the caller's file, and answers
	 * the report. Throws {@link Refused} for a 4xx answer, IOException when the server could not be reached or
	 * failed (5xx): retrying then is safe, because lines already imported are skipped.
	 */
	public JsonNode send(byte[] body, long startLine) throws IOException, InterruptedException {
		HttpResponse<String> answer = post(body, startLine);
		if (answer.statusCode() == 401 && this.credentials.clientId() != null) {
			forgetToken();
			answer = post(body, startLine);
		}
		if (answer.statusCode() == 200) {
			return JSON.readTree(answer.body());
		}
		String detail = describe(answer);
		if (answer.statusCode() >= 500) {
			throw new IOException("Foyer answered " + answer.statusCode() + ": " + detail);
		}
		throw new Refused(answer.statusCode(), "Foyer answered " + answer.statusCode() + ": " + detail);
	}

	private synchronized void forgetToken() {
		this.token = null;
	}

	private HttpResponse<String> post(byte[] body, long startLine) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/api/v1/tenants/"
				+ URLEncoder.encode(this.tenant, StandardCharsets.UTF_8) + "/users/import?startLine=" + startLine))
			.timeout(Duration.ofMinutes(10))
			.header("Authorization", "Bearer " + token())
			.header("Content-Type", "application/x-ndjson")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private synchronized String token() throws IOException, InterruptedException {
		if (this.token != null) {
			return this.token;
		}
		String basic = Base64.getEncoder()
			.encodeToString((URLEncoder.encode(this.credentials.clientId(), StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(this.credentials.clientSecret(), StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> answer = this.http.send(HttpRequest
			.newBuilder(URI.create(this.base + "/t/" + URLEncoder.encode(this.credentials.tokenTenant(), StandardCharsets.UTF_8)
					+ "/oauth2/token"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode accessToken = answer.statusCode() == 200 ? JSON.readTree(answer.body()).get("access_token") : null;
		if (accessToken == null) {
			throw new Refused(answer.statusCode(), "The token endpoint of tenant " + this.credentials.tokenTenant()
					+ " answered " + answer.statusCode() + ": " + answer.body());
		}
		this.token = accessToken.asString();
		return this.token;
	}

	private static String describe(HttpResponse<String> answer) {
		try {
			JsonNode problem = JSON.readTree(answer.body());
			StringBuilder text = new StringBuilder(problem.path("detail").asString(answer.body()));
			problem.path("errors").forEach(e -> text.append("; ").append(e.path("field").asString("")).append(' ')
				.append(e.path("message").asString("")));
			return text.toString();
		}
		catch (RuntimeException notJson) {
			return answer.body();
		}
	}

}
