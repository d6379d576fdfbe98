package dev.foyer.mail;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends, after the answer, what a person's answer must not wait for: the codes and notes whose sending depends on
 * whether an address has an account (sign-up, password reset, email one-time passcode), and the back-channel logout
 * tokens a sign-out sends to apps, which a person should not wait for either. Sent while the request
 * waits, an SMTP exchange or an extension's HTTP call would make the answer for an existing account slower than
 * for an unknown address, which tells anyone who times it that the account exists (OWASP ASVS V2.2.1). A delivery
 * that fails is logged; the person can ask for the code again.
 */
@Component
public class Deliveries implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

	/** At most this many deliveries talk to the mail relay or an extension at once; the rest wait their turn. */
	private static final int AT_ONCE = 8;

	private final ExecutorService executor = Executors
		.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-", 0).factory());

	private final Semaphore turns = new Semaphore(AT_ONCE);

	private final Object idle = new Object();

	private int pending;

	/** Runs {@code delivery} soon on a thread of its own, with the request's log context (its request id). */
	public void later(String what, Runnable delivery) {
		Map<String, String> context = MDC.getCopyOfContextMap();
		synchronized (this.idle) {
			this.pending++;
		}
		this.executor.execute(() -> {
			if (context != null) {
				MDC.setContextMap(context);
			}
			try {
				this.turns.acquireUninterruptibly();
				try {
					delivery.run();
				}
				finally {
					this.turns.release();
				}
			}
			catch (RuntimeException ex) {
				log.warn("Could not deliver the {}: {}", what, ex.toString(), ex);
			}
			finally {
				MDC.clear();
				synchronized (this.idle) {
					this.pending--;
					this.idle.notifyAll();
				}
			}
		});
	}

	/** Waits until every delivery handed over so far has ended, or {@code timeout}; says whether they all did. */
	public boolean awaitIdle(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.idle) {
			while (this.pending > 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				this.idle.wait(Math.max(1, left / 1_000_000));
			}
			return true;
		}
	}

	/** At shutdown, the deliveries under way get a few seconds to end, so that a code just asked for still goes out. */
	@Override
	public void destroy() throws InterruptedException {
		if (!awaitIdle(Duration.ofSeconds(10))) {
			log.warn("Stopping with deliveries still under way; their codes can be asked for again");
		}
		this.executor.shutdownNow();
	}

}
