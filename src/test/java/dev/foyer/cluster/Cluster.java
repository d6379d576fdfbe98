package dev.foyer.cluster;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.context.ConfigurableApplicationContext;

import dev.foyer.FoyerApplication;
import dev.foyer.support.Api;
import dev.foyer.support.PostgresServer;
import dev.foyer.support.TestFoyer;

/**
 * Foyer nodes in this JVM on one PostgreSQL database, as behind a load balancer: every node publishes the same base
 * URL (the balancer's, where nothing listens here) and shares the master key, and the test addresses each node by
 * its own port. The nodes start together on the empty database, as a deployment's would: one bootstraps it.
 */
final class Cluster implements AutoCloseable {

	/** Where a balancer would listen; issuers, redirects and cookies all name it, whichever node answered. */
	final String baseUrl = "http://localhost:" + TestFoyer.freePort();

	final List<Node> nodes = new ArrayList<>();

	/** One Foyer application context: its port, its admin API client, its beans. */
	record Node(int number, int port, ConfigurableApplicationContext context, Api api) {

		String origin() {
			return "http://localhost:" + this.port;
		}

		<T> T bean(Class<T> type) {
			return this.context.getBean(type);
		}

		boolean running() {
			return this.context.isActive();
		}

		@Override
		public String toString() {
			return "node " + this.number;
		}

	}

	Cluster(int size, String... properties) throws Exception {
		String database = PostgresServer.newDatabaseUrl();
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		String masterKey = Base64.getEncoder().encodeToString(key);
		try (var starting = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<Node>> others = new ArrayList<>();
			for (int n = 1; n <= size; n++) {
				int number = n;
				others.add(starting.submit(() -> start(number, database, masterKey, properties)));
			}
			for (Future<Node> node : others) {
				this.nodes.add(node.get());
			}
		}
	}

	Node node(int number) {
		return this.nodes.get(number - 1);
	}

	private Node start(int number, String database, String masterKey, String... properties) throws IOException {
		int port = TestFoyer.freePort();
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--foyer.base-url=" + this.baseUrl,
				"--foyer.data-dir=" + TestFoyer.tempDir("foyer-node" + number + "-"), "--foyer.master-key=" + masterKey,
				"--foyer.bootstrap.client-id=" + TestFoyer.CLIENT_ID, "--foyer.bootstrap.client-secret=" + TestFoyer.CLIENT_SECRET,
				"--spring.datasource.url=" + database, "--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--spring.datasource.hikari.maximum-pool-size=5", "--logging.level.dev.foyer.request=WARN",
				"--spring.main.banner-mode=off"));
		for (String property : properties) {
			args.add("--" + property);
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(FoyerApplication.class)
			.listeners(new LoggingTurn().listeners())
			.run(args.toArray(String[]::new));
		return new Node(number, port, context, new Api(port));
	}

	/**
	 * Spring Boot sets up the JVM's one Logback context at each application's start; nodes starting at once would do
	 * it at once and garble every later log line. So that part of their starts takes turns: a turn begins before
	 * Spring Boot's logging listener hears that the application starts, and ends after it set Logback up from the
	 * environment (or when the start failed).
	 */
	private static final class LoggingTurn {

		private static final Semaphore TURN = new Semaphore(1);

		private final AtomicBoolean holding = new AtomicBoolean();

		ApplicationListener<?>[] listeners() {
			return new ApplicationListener<?>[] { new Begin(), new End() };
		}

		private final class Begin implements ApplicationListener<ApplicationStartingEvent>, Ordered {

			@Override
			public void onApplicationEvent(ApplicationStartingEvent event) {
				TURN.acquireUninterruptibly();
				LoggingTurn.this.holding.set(true);
			}

			@Override
			public int getOrder() {
				return Ordered.HIGHEST_PRECEDENCE;
			}

		}

		private final class End implements ApplicationListener<SpringApplicationEvent>, Ordered {

			@Override
			public void onApplicationEvent(SpringApplicationEvent event) {
				if ((event instanceof ApplicationEnvironmentPreparedEvent || event instanceof ApplicationFailedEvent)
						&& LoggingTurn.this.holding.compareAndSet(true, false)) {
					TURN.release();
				}
			}

			@Override
			public int getOrder() {
				return Ordered.LOWEST_PRECEDENCE;
			}

		}

	}

	@Override
	public void close() {
		for (Node node : this.nodes) {
			node.context().close();
		}
	}

}
