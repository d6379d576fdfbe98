package dev.foyer.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks' light client against a real HTTP server (the JDK's): bodies by length and chunked, a request's
 * body and headers, one connection kept for many requests, and a new one when the server closes it.
 */
class RawHttpTest {

	private HttpServer server;

	private final Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();

	private String base;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/fixed", exchange -> answer(exchange, 200, "fixed length", false));
		// A response length of 0 makes the JDK's server send the body chunked.
		this.server.createContext("/chunked", exchange -> answer(exchange, 200, "x".repeat(20_000), true));
		this.server.createContext("/echo", exchange -> answer(exchange, 201, exchange.getRequestMethod() + " "
				+ exchange.getRequestHeaders().getFirst("Authorization") + " "
				+ new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), false));
		this.server.createContext("/close", exchange -> {
			exchange.getResponseHeaders().set("Connection", "close");
			answer(exchange, 302, "", false);
		});
		this.server.start();
		this.base = "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private void answer(HttpExchange exchange, int status, String body, boolean chunked) throws IOException {
		this.peers.add(exchange.getRemoteAddress());
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Set-Cookie", "a=1");
		exchange.getResponseHeaders().add("Set-Cookie", "b=2");
		exchange.sendResponseHeaders(status, chunked ? 0 : (bytes.length == 0 ? -1 : bytes.length));
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private HttpResponse<String> get(RawHttp http, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void readsBodiesByLengthAndChunkedOverOneConnection() throws Exception {
		try (RawHttp http = new RawHttp()) {
			HttpResponse<String> fixed = get(http, "/fixed");
			HttpResponse<String> chunked = get(http, "/chunked");
			HttpResponse<String> again = get(http, "/fixed");

			assertThat(fixed.statusCode()).isEqualTo(200);
			assertThat(fixed.body()).isEqualTo("fixed length");
			assertThat(fixed.headers().allValues("set-cookie")).containsExactly("a=1", "b=2");
			assertThat(chunked.body()).hasSize(20_000).matches("x+");
			assertThat(again.body()).isEqualTo("fixed length");
			assertThat(this.peers).as("one kept-alive connection").hasSize(1);
		}
	}

	@Test
	void sendsTheRequestsHeadersAndBody() throws Exception {
		try (RawHttp http = new RawHttp()) {
			HttpResponse<String> echoed = http.send(HttpRequest.newBuilder(URI.create(this.base + "/echo"))
				.header("Authorization", "Basic abc")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&x=%C3%A9"))
				.build(), HttpResponse.BodyHandlers.ofString());

			assertThat(echoed.statusCode()).isEqualTo(201);
			assertThat(echoed.body()).isEqualTo("POST Basic abc grant_type=client_credentials&x=%C3%A9");
		}
	}

	@Test
	void opensANewConnectionAfterTheServerClosedOne() throws Exception {
		try (RawHttp http = new RawHttp()) {
			HttpResponse<String> closing = get(http, "/close");
			HttpResponse<String> after = get(http, "/fixed");

			assertThat(closing.statusCode()).isEqualTo(302);
			assertThat(closing.body()).isEmpty();
			assertThat(after.body()).isEqualTo("fixed length");
			assertThat(this.peers).as("a second connection after Connection: close").hasSize(2);
		}
	}

	@Test
	void retriesOnceWhenAKeptAliveConnectionWasClosedMeanwhile() throws Exception {
		try (RawHttp http = new RawHttp()) {
			get(http, "/fixed");
			// The server goes away and comes back on the same port: the kept-alive socket is dead.
			int port = this.server.getAddress().getPort();
			this.server.stop(0);
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
			this.server.createContext("/fixed", exchange -> answer(exchange, 200, "fixed length", false));
			this.server.start();

			assertThat(get(http, "/fixed").body()).isEqualTo("fixed length");
			assertThat(List.copyOf(this.peers)).hasSize(2);
		}
	}

}
