package dev.foyer.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.foyer.support.TestFoyer;
import httpfloor.FixedAnswer;

/**
 * What a grant costs the machine before any of Foyer's work, measured under the grants' own load. The signing-bound
 * target leaves a grant a budget of CPU beside its signature; these floors answer the same request with a fixed body
 * of the same size and show how much of that budget the HTTP exchange alone takes on this machine (load generator
 * and kernel included): HAProxy (C, when installed), a servlet on Tomcat alone, and Foyer's stack (Spring Boot,
 * Spring Security, Spring MVC) doing nothing (the servers in package {@code httpfloor}).
 */
final class HttpFloors {

	private HttpFloors() {
	}

	/** One floor: its throughput and the machine's CPU microseconds per request (everything on it, from /proc/stat). */
	record Floor(String name, double perSecond, double machineMicrosEach) {
	}

	/** A load's run and the machine's CPU microseconds per request meanwhile. */
	record OnMachine(Load.Run run, double machineMicrosEach) {
	}

	/** Runs the load and charges it everything the machine's CPUs did meanwhile. */
	static OnMachine onMachine(Callable<Load.Run> load) throws Exception {
		long before = CpuMeter.machineBusyMillis();
		Load.Run run = load.call();
		long used = CpuMeter.machineBusyMillis() - before;
		return new OnMachine(run, used * 1000.0 / Math.max(1, run.requests()));
	}

	/**
	 * Each floor in turn: started, warmed up with {@code 2 x seconds} of the load, measured for {@code seconds},
	 * stopped.
	 * @param jvmOptions the server's JVM options (its AOT cache and prepared beans are left out: they are Foyer's)
	 * @param path the request's path, script the wrk script of the grant, answerBytes the size of Foyer's answer
	 */
	static List<Floor> measure(List<String> jvmOptions, String path, String script, int answerBytes, int seconds)
			throws Exception {
		List<String> options = jvmOptions.stream()
			.filter(o -> !o.startsWith("-XX:AOTCache") && !o.startsWith("-XX:SharedArchiveFile")
					&& !o.startsWith("-Dspring.aot.enabled") && !o.startsWith("-Xlog:aot"))
			.toList();
		// The benchmark's class path without Foyer's own classes: Foyer's settings and start-up listeners stay out.
		String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter(entry -> !Path.of(entry).endsWith(Path.of("target", "classes")))
			.collect(Collectors.joining(File.pathSeparator));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<Floor> floors = new ArrayList<>();
		Path work = Files.createTempDirectory("foyer-http-floor-");
		try {
			if (onPath("haproxy")) {
				Path answer = work.resolve("answer.json");
				Files.write(answer, FixedAnswer.of(answerBytes));
				Path config = work.resolve("haproxy.cfg");
				int port = TestFoyer.freePort();
				Files.writeString(config, """
						global
						  nbthread 2
						defaults
						  mode http
						  timeout client 10s
						  timeout server 10s
						  timeout connect 1s
						frontend floor
						  bind 127.0.0.1:%d
						  http-request return status 200 content-type application/json file %s hdr Cache-Control no-store
						""".formatted(port, answer));
				floors.add(floor("HAProxy answering from its configuration (C)", port, path, script, seconds,
						List.of("haproxy", "-db", "-f", config.toString()), work));
			}
			for (String[] server : List.of(new String[] { "Tomcat and one servlet (no Spring)", "httpfloor.TomcatFloor" },
					new String[] { "Spring Boot, Spring Security and Spring MVC, doing nothing (Foyer's stack)",
							"httpfloor.SpringFloor" })) {
				int port = TestFoyer.freePort();
				// Tomcat's working directories go into the work directory, which is removed afterwards.
				Path temporary = Files.createDirectories(work.resolve("tmp-" + port));
				List<String> command = new ArrayList<>(List.of(java));
				command.addAll(options);
				command.add("-Djava.io.tmpdir=" + temporary);
				command.addAll(List.of("-cp", classPath, server[1], Integer.toString(port), Integer.toString(answerBytes)));
				floors.add(floor(server[0], port, path, script, seconds, command, work));
			}
		}
		finally {
			WorkDirectory.delete(work);
		}
		return floors;
	}

	private static Floor floor(String name, int port, String path, String script, int seconds, List<String> command,
			Path work) throws Exception {
		System.err.println("bench: HTTP floor: " + name + " ...");
		Path log = work.resolve("floor-" + port + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			awaitPort(port, process, log);
			String url = "http://127.0.0.1:" + port + path;
			Load.wrk(url, script, 16, 2 * seconds);
			OnMachine measured = onMachine(() -> Load.wrk(url, script, 16, seconds));
			if (measured.run().errors() > 0) {
				throw new IllegalStateException(name + ": " + measured.run().errors() + " requests failed");
			}
			return new Floor(name, measured.run().perSecond(), measured.machineMicrosEach());
		}
		finally {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
	}

	private static void awaitPort(int port, Process process, Path log) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("the floor server ended:\n" + Files.readString(log));
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(100);
			}
		}
		throw new IllegalStateException("the floor server did not listen within 60 s:\n" + Files.readString(log));
	}

	private static boolean onPath(String command) {
		return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
	}

}
