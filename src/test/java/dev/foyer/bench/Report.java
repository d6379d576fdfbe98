package dev.foyer.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The figures as they are measured, each next to its target; printed as a text table and as Markdown. */
final class Report {

	record Fact(String name, String value) {
	}

	record Row(String figure, String measured, String target, String result) {
	}

	private final List<Fact> facts = new ArrayList<>();

	private final List<Row> rows = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	/** Adds a fact, or replaces the value of the one with that name. */
	void fact(String name, String value) {
		for (int i = 0; i < this.facts.size(); i++) {
			if (this.facts.get(i).name().equals(name)) {
				this.facts.set(i, new Fact(name, value));
				return;
			}
		}
		this.facts.add(new Fact(name, value));
	}

	/** A figure with a target: PASS when met, MISS when not. */
	void check(String figure, String measured, String target, boolean met) {
		this.rows.add(new Row(figure, measured, target, met ? "PASS" : "MISS"));
	}

	/**
	 * Marks the figure's verdict as unreliable: other processes took a good share of the CPUs while it was measured.
	 */
	void disturbed(String figure) {
		for (int i = 0; i < this.rows.size(); i++) {
			Row r = this.rows.get(i);
			if (r.figure().equals(figure) && !r.result().equals("-") && !r.result().endsWith("(disturbed)")) {
				this.rows.set(i, new Row(r.figure(), r.measured(), r.target(), r.result() + " (disturbed)"));
			}
		}
	}

	/** A figure reported for information, without a target. */
	void info(String figure, String measured) {
		this.rows.add(new Row(figure, measured, "-", "-"));
	}

	void note(String note) {
		this.notes.add(note);
	}

	boolean anyMissed() {
		return this.rows.stream().anyMatch(r -> r.result().startsWith("MISS"));
	}

	String text() {
		StringBuilder sb = new StringBuilder();
		int width = this.facts.stream().mapToInt(f -> f.name().length()).max().orElse(0);
		for (Fact f : this.facts) {
			sb.append(pad(f.name(), width)).append("  ").append(f.value()).append('\n');
		}
		int[] w = { "Figure".length(), "Measured".length(), "Target".length(), "Result".length() };
		for (Row r : this.rows) {
			w[0] = Math.max(w[0], r.figure().length());
			w[1] = Math.max(w[1], r.measured().length());
			w[2] = Math.max(w[2], r.target().length());
			w[3] = Math.max(w[3], r.result().length());
		}
		String rule = "-".repeat(w[0]) + "-+-" + "-".repeat(w[1]) + "-+-" + "-".repeat(w[2]) + "-+-" + "-".repeat(w[3]);
		sb.append('\n').append(line(w, "Figure", "Measured", "Target", "Result")).append(rule).append('\n');
		for (Row r : this.rows) {
			sb.append(line(w, r.figure(), r.measured(), r.target(), r.result()));
		}
		if (!this.notes.isEmpty()) {
			sb.append('\n');
			this.notes.forEach(n -> sb.append("* ").append(n).append('\n'));
		}
		return sb.toString();
	}

	String markdown(String title) {
		StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
		for (Fact f : this.facts) {
			sb.append("- ").append(f.name()).append(": ").append(f.value()).append('\n');
		}
		sb.append("\n| Figure | Measured | Target | Result |\n|---|---:|---:|:---:|\n");
		for (Row r : this.rows) {
			sb.append("| ").append(cell(r.figure())).append(" | ").append(cell(r.measured())).append(" | ")
				.append(cell(r.target())).append(" | ").append(r.result().equals("-") ? "" : r.result().replaceFirst("^(PASS|MISS)", "**$1**"))
				.append(" |\n");
		}
		if (!this.notes.isEmpty()) {
			sb.append('\n');
			this.notes.forEach(n -> sb.append("- ").append(n).append('\n'));
		}
		return sb.toString();
	}

	private static String line(int[] w, String... cells) {
		return pad(cells[0], w[0]) + " | " + padLeft(cells[1], w[1]) + " | " + padLeft(cells[2], w[2]) + " | "
				+ pad(cells[3], w[3]).stripTrailing() + "\n";
	}

	private static String cell(String text) {
		return text.replace("|", "\\|");
	}

	private static String pad(String text, int width) {
		return text + " ".repeat(Math.max(0, width - text.length()));
	}

	private static String padLeft(String text, int width) {
		return " ".repeat(Math.max(0, width - text.length())) + text;
	}

	// Formatting shared by the benchmark.

	static String seconds(long nanos) {
		return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
	}

	static String millis(long nanos) {
		return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
	}

	static String mib(long kib) {
		return String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
	}

	static String rate(double perSecond) {
		return perSecond >= 100 ? String.format(Locale.ROOT, "%,.0f/s", perSecond)
				: String.format(Locale.ROOT, "%.1f/s", perSecond);
	}

	static String count(long n) {
		return String.format(Locale.ROOT, "%,d", n);
	}

	/** Nearest-rank percentile of the values (sorted here, on a copy). */
	static long percentile(long[] values, double p) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		if (sorted.length == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

}
