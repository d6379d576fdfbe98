package dev.foyer.extension;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An extension's answer body, read only up to a limit: empty when the answer is larger, and then the rest is never
 * read (the exchange is cancelled). Reading a whole answer first and measuring it after would let one extension fill
 * Foyer's heap with a single reply.
 */
final class BoundedAnswer implements HttpResponse.BodySubscriber<Optional<byte[]>> {

	private final int limit;

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private final CompletableFuture<Optional<byte[]>> body = new CompletableFuture<>();

	private Flow.Subscription subscription;

	private BoundedAnswer(int limit) {
		this.limit = limit;
	}

	/** Bodies of at most {@code limit} bytes; larger ones as empty. */
	static HttpResponse.BodyHandler<Optional<byte[]>> upTo(int limit) {
		return response -> new BoundedAnswer(limit);
	}

	@Override
	public CompletionStage<Optional<byte[]>> getBody() {
		return this.body;
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		subscription.request(1);
	}

	@Override
	public void onNext(List<ByteBuffer> buffers) {
		for (ByteBuffer buffer : buffers) {
			if (this.bytes.size() + buffer.remaining() > this.limit) {
				this.body.complete(Optional.empty());
				this.subscription.cancel();
				return;
			}
			byte[] chunk = new byte[buffer.remaining()];
			buffer.get(chunk);
			this.bytes.writeBytes(chunk);
		}
		this.subscription.request(1);
	}

	@Override
	public void onError(Throwable failure) {
		this.body.completeExceptionally(failure);
	}

	@Override
	public void onComplete() {
		this.body.complete(Optional.of(this.bytes.toByteArray()));
	}

}
