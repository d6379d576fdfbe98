package dev.foyer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The benchmarks' scratch directories under the system's temporary directory. */
final class WorkDirectory {

	private WorkDirectory() {
	}

	/** Removes {@code root} and everything in it; says so on stderr, and goes on, when something cannot be removed. */
	static void delete(Path root) {
		try (Stream<Path> all = Files.walk(root)) {
			for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
		catch (IOException ex) {
			System.err.println("bench: could not remove " + root + ": " + ex);
		}
	}

}
