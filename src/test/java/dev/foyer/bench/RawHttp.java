package dev.foyer.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} for one load-generating client on loopback: HTTP/1.1 over a single kept-alive socket,
 * written and read as bytes on the calling thread, no cookies and no redirects (the caller, such as
 * {@link dev.foyer.support.Person}, keeps both). Java's own client hands every exchange to its selector thread and
 * back, and cost about 2 ms of CPU per login of 5 requests on the 2 CPUs that the server being measured also uses;
 * this one is meant to cost a fraction of that. Not thread-safe: one per client, as one browser per person.
 */
final class RawHttp extends HttpClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private Socket socket;

	private String connectedTo;

	private InputStream in;

	private OutputStream out;

	/** One response as read from the socket. */
	record Response(int status, Map<String, List<String>> headers, byte[] body) {

		/** Whether the server will close the connection after this response. */
		boolean closes() {
			return this.headers.getOrDefault("connection", List.of()).stream().anyMatch(v -> v.equalsIgnoreCase("close"));
		}

	}

	@Override
	public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
			throws IOException, InterruptedException {
		byte[] bytes = bytes(request);
		Response response;
		try {
			response = exchange(request, bytes, true);
		}
		catch (IOException ex) {
			close();
			throw ex;
		}
		if (response.closes()) {
			close();
		}
		return subscribe(request, response, handler);
	}

	/**
	 * Writes the request and reads its response. A kept-alive connection that the server closed meanwhile fails at
	 * the write or before the first byte of the answer: then once more on a new one, as browsers do.
	 */
	private Response exchange(HttpRequest request, byte[] bytes, boolean mayRetry) throws IOException {
		boolean reused = connect(request.uri(), request.timeout().orElse(TIMEOUT));
		try {
			try {
				this.out.write(bytes);
				this.out.flush();
			}
			catch (IOException ex) {
				throw new ClosedBeforeAnswer(ex);
			}
			return read(this.in, request.method().equals("HEAD"));
		}
		catch (ClosedBeforeAnswer ex) {
			if (!reused || !mayRetry) {
				throw ex;
			}
			close();
			return exchange(request, bytes, false);
		}
	}

	/** Connects to the request's server unless connected to it already; returns whether the connection is reused. */
	private boolean connect(URI uri, Duration timeout) throws IOException {
		String target = uri.getHost() + ":" + uri.getPort();
		if (this.socket != null && target.equals(this.connectedTo)) {
			return true;
		}
		close();
		this.socket = new Socket(uri.getHost(), uri.getPort());
		this.socket.setTcpNoDelay(true);
		this.socket.setSoTimeout((int) timeout.toMillis());
		this.in = new BufferedInputStream(this.socket.getInputStream(), 16384);
		this.out = this.socket.getOutputStream();
		this.connectedTo = target;
		return false;
	}

	/** The request as HTTP/1.1 bytes: request line, Host, the request's headers, Content-Length and the body. */
	private static byte[] bytes(HttpRequest request) throws IOException {
		URI uri = request.uri();
		byte[] body = body(request);
		StringBuilder head = new StringBuilder(256).append(request.method())
			.append(' ')
			.append(uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
			.append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
			.append(" HTTP/1.1\r\nHost: ")
			.append(uri.getHost())
			.append(':')
			.append(uri.getPort())
			.append("\r\n");
		request.headers().map().forEach((name, values) -> values.forEach(value -> head.append(name).append(": ")
			.append(value)
			.append("\r\n")));
		if (body.length > 0 || !request.method().equals("GET")) {
			head.append("Content-Length: ").append(body.length).append("\r\n");
		}
		byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
		byte[] all = new byte[start.length + body.length];
		System.arraycopy(start, 0, all, 0, start.length);
		System.arraycopy(body, 0, all, start.length, body.length);
		return all;
	}

	/** The request's body, taken from its publisher (which the JDK's publishers hand over at once). */
	private static byte[] body(HttpRequest request) throws IOException {
		Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
		if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
			return new byte[0];
		}
		ByteArrayOutputStream collected = new ByteArrayOutputStream();
		CompletableFuture<Void> done = new CompletableFuture<>();
		publisher.get().subscribe(new Flow.Subscriber<ByteBuffer>() {

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				subscription.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(ByteBuffer item) {
				byte[] chunk = new byte[item.remaining()];
				item.get(chunk);
				collected.writeBytes(chunk);
			}

			@Override
			public void onError(Throwable throwable) {
				done.completeExceptionally(throwable);
			}

			@Override
			public void onComplete() {
				done.complete(null);
			}

		});
		try {
			done.get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IOException("the request's body could not be read", ex);
		}
		return collected.toByteArray();
	}

	/** The connection closed before any byte of the answer came. */
	static final class ClosedBeforeAnswer extends IOException {

		ClosedBeforeAnswer(IOException cause) {
			super("connection closed before the answer", cause);
		}

	}

	/**
	 * Reads one HTTP/1.1 response: status line, headers (names in lower case), and the body by Content-Length or
	 * chunked; none for HEAD, 1xx, 204 and 304.
	 */
	static Response read(InputStream in, boolean head) throws IOException {
		String statusLine = line(in, true);
		if (!statusLine.startsWith("HTTP/1.")) {
			throw new IOException("not an HTTP/1.x response: " + statusLine);
		}
		int status = Integer.parseInt(statusLine.substring(9, 12));
		Map<String, List<String>> headers = new TreeMap<>();
		for (String line = line(in, false); !line.isEmpty(); line = line(in, false)) {
			int colon = line.indexOf(':');
			headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
				.add(line.substring(colon + 1).trim());
		}
		if (head || status / 100 == 1 || status == 204 || status == 304) {
			return new Response(status, headers, new byte[0]);
		}
		List<String> length = headers.get("content-length");
		if (length != null) {
			return new Response(status, headers, exactly(in, Integer.parseInt(length.get(0))));
		}
		if (!headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
			throw new IOException("neither Content-Length nor chunked in the answer (" + status + ")");
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (int size = chunkSize(line(in, false)); size > 0; size = chunkSize(line(in, false))) {
			body.writeBytes(exactly(in, size));
			line(in, false);
		}
		while (!line(in, false).isEmpty()) {
			// trailers, if any
		}
		return new Response(status, headers, body.toByteArray());
	}

	private static int chunkSize(String line) {
		int extension = line.indexOf(';');
		return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
	}

	private static byte[] exactly(InputStream in, int length) throws IOException {
		byte[] bytes = in.readNBytes(length);
		if (bytes.length < length) {
			throw new IOException("connection closed in the body");
		}
		return bytes;
	}

	/** One line without its CRLF; {@code first}: the connection may end before it (a closed kept-alive one). */
	private static String line(InputStream in, boolean first) throws IOException {
		StringBuilder line = new StringBuilder(64);
		for (int b = first ? firstByte(in) : in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				throw first && line.isEmpty() ? new ClosedBeforeAnswer(null) : new IOException("connection closed in the answer");
			}
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
	}

	/** The answer's first byte; a reset before it means the server had closed the connection. */
	private static int firstByte(InputStream in) throws IOException {
		try {
			return in.read();
		}
		catch (java.net.SocketException ex) {
			throw new ClosedBeforeAnswer(ex);
		}
	}

	/** Hands the body to the caller's handler, as Java's client does. */
	private static <T> HttpResponse<T> subscribe(HttpRequest request, Response response, HttpResponse.BodyHandler<T> handler)
			throws IOException {
		HttpHeaders headers = HttpHeaders.of(response.headers(), (name, value) -> true);
		HttpResponse.BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo() {

			@Override
			public int statusCode() {
				return response.status();
			}

			@Override
			public HttpHeaders headers() {
				return headers;
			}

			@Override
			public Version version() {
				return Version.HTTP_1_1;
			}

		});
		subscriber.onSubscribe(new Flow.Subscription() {

			@Override
			public void request(long n) {
				// everything is delivered below
			}

			@Override
			public void cancel() {
				// nothing to stop
			}

		});
		subscriber.onNext(List.of(ByteBuffer.wrap(response.body())));
		subscriber.onComplete();
		T body;
		try {
			body = subscriber.getBody().toCompletableFuture().get();
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new IOException("the answer's body could not be handled", ex);
		}
		return new Answer<>(response.status(), request, headers, body);
	}

	private record Answer<T>(int statusCode, HttpRequest request, HttpHeaders headers, T body) implements HttpResponse<T> {

		@Override
		public Optional<HttpResponse<T>> previousResponse() {
			return Optional.empty();
		}

		@Override
		public Optional<javax.net.ssl.SSLSession> sslSession() {
			return Optional.empty();
		}

		@Override
		public URI uri() {
			return this.request.uri();
		}

		@Override
		public Version version() {
			return Version.HTTP_1_1;
		}

	}

	@Override
	public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
		throw new UnsupportedOperationException("a load-generating client waits for each answer");
	}

	@Override
	public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
			HttpResponse.PushPromiseHandler<T> pushes) {
		throw new UnsupportedOperationException("a load-generating client waits for each answer");
	}

	@Override
	public void close() {
		if (this.socket != null) {
			try {
				this.socket.close();
			}
			catch (IOException ignored) {
				// closing anyway
			}
			this.socket = null;
			this.connectedTo = null;
		}
	}

	@Override
	public Optional<CookieHandler> cookieHandler() {
		return Optional.empty();
	}

	@Override
	public Optional<Duration> connectTimeout() {
		return Optional.empty();
	}

	@Override
	public Redirect followRedirects() {
		return Redirect.NEVER;
	}

	@Override
	public Optional<ProxySelector> proxy() {
		return Optional.empty();
	}

	@Override
	public SSLContext sslContext() {
		throw new UnsupportedOperationException("plain HTTP on loopback only");
	}

	@Override
	public SSLParameters sslParameters() {
		throw new UnsupportedOperationException("plain HTTP on loopback only");
	}

	@Override
	public Optional<Authenticator> authenticator() {
		return Optional.empty();
	}

	@Override
	public Version version() {
		return Version.HTTP_1_1;
	}

	@Override
	public Optional<Executor> executor() {
		return Optional.empty();
	}

}
