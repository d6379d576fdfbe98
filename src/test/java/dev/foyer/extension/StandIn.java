package dev.foyer.extension;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server (the JDK's) on loopback, standing in for a business's extension API. Several requests are
 * served at once, so a deliberately slow answer does not hold up the next request.
 */
final class StandIn implements AutoCloseable {

	/** What came in: the headers the tests look at, and the body. */
	record Request(String authorization, String contentType, String body) {
	}

	/** What to answer, after {@code delayMillis}; an empty body is sent without one. */
	record Reply(int status, String contentType, String body, long delayMillis) {

		static Reply json(String body) {
			return new Reply(200, "application/json", body, 0);
		}

	}

	private final HttpServer server;

	StandIn() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.start();
	}

	/** Answers every request to {@code path} with what {@code answer} makes of it. */
	StandIn on(String path, Function<Request, Reply> answer) {
		this.server.createContext(path, exchange -> {
			Request request = new Request(exchange.getRequestHeaders().getFirst("Authorization"),
					exchange.getRequestHeaders().getFirst("Content-Type"),
					new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			Reply reply = answer.apply(request);
			try {
				Thread.sleep(reply.delayMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", reply.contentType());
			exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
			if (out.length > 0) {
				exchange.getResponseBody().write(out);
			}
			exchange.close();
		});
		return this;
	}

	/**
	 * Answers every request to {@code path} with 200 and a JSON body that does not end: {@code chunk} spaces every
	 * {@code pauseMillis}, until the caller goes away or {@code limit} bytes are out. Answers how many bytes went out.
	 */
	AtomicLong endless(String path, int chunk, long pauseMillis, long limit) {
		AtomicLong sent = new AtomicLong();
		byte[] spaces = " ".repeat(chunk).getBytes(StandardCharsets.US_ASCII);
		this.server.createContext(path, exchange -> {
			exchange.getRequestBody().readAllBytes();
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				while (sent.get() < limit) {
					out.write(spaces);
					out.flush();
					sent.addAndGet(spaces.length);
					Thread.sleep(pauseMillis);
				}
			}
			catch (IOException ex) {
				// the caller went away: what this is for
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		return sent;
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
