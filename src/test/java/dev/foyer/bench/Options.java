package dev.foyer.bench;

/** The benchmark's command line: {@code --users N}, {@code --quick}, and a few knobs with sensible defaults. */
final class Options {

	int users = 100_000;

	boolean quick;

	int searchWarmup = 500;

	int searches = 2_000;

	int bulkClients = 8;

	int passwordUsers = 300;

	double hashSeconds = 5;

	long seed = 20_260_226L;

	boolean keepData;

	int quietWaitSeconds = 120;

	boolean asRun = true;

	static final String USAGE = """
			usage: ./foyer bench [--quick] [--users N] [--searches N] [--clients N] [--password-users N] [--seed N]
			                   [--keep-data] [--quiet-wait S] [--plain-jar]
			  --quick             N = 5,000 accounts, 125 + 500 searches, 60 password users, 2 s hash bound: a fast check
			  --users N           accounts created without passwords for the search phase (default 100000)
			  --searches N        timed searches after the warm-up (default 2000; warm-up is a quarter of it, at most 500)
			  --clients N         concurrent requests while creating the N accounts (default 8)
			  --password-users N  accounts created with a password, per concurrency level 2 and 4 (default 300)
			  --seed N            seed of the generated names, emails and search prefixes
			  --keep-data         keep the server's temporary data directory (default: removed at the end)
			  --plain-jar         start java -XX:+UseSerialGC -Xss512k -jar target/foyer.jar instead of Foyer as
			                      ./foyer run starts it (target/app/foyer.jar, its AOT cache, ./foyer jvm-options)
			  --quiet-wait S      before each timed phase, wait up to S seconds (default 120) for other processes
			                      to leave the CPUs alone; phases measured while they did not are marked (disturbed)""";

	static Options parse(String[] args) {
		Options o = new Options();
		Integer users = null;
		Integer searches = null;
		Integer passwordUsers = null;
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			switch (arg) {
				case "--quick" -> o.quick = true;
				case "--users" -> users = positive(arg, value(args, ++i, arg));
				case "--searches" -> searches = positive(arg, value(args, ++i, arg));
				case "--clients" -> o.bulkClients = Math.min(64, positive(arg, value(args, ++i, arg)));
				case "--password-users" -> passwordUsers = positive(arg, value(args, ++i, arg));
				case "--seed" -> o.seed = Long.parseLong(value(args, ++i, arg));
				case "--keep-data" -> o.keepData = true;
				case "--plain-jar" -> o.asRun = false;
				case "--quiet-wait" -> o.quietWaitSeconds = Math.min(3600, positive(arg, value(args, ++i, arg)));
				case "-h", "--help" -> throw new UsageException(null);
				default -> throw new UsageException("unknown option " + arg);
			}
		}
		if (o.quick) {
			o.users = 5_000;
			o.searches = 500;
			o.passwordUsers = 60;
			o.hashSeconds = 2;
		}
		if (users != null) {
			o.users = Math.min(users, 2_000_000);
		}
		if (searches != null) {
			o.searches = Math.min(searches, 100_000);
		}
		if (passwordUsers != null) {
			o.passwordUsers = Math.min(passwordUsers, 10_000);
		}
		o.searchWarmup = Math.min(500, Math.max(50, o.searches / 4));
		return o;
	}

	private static String value(String[] args, int i, String option) {
		if (i >= args.length) {
			throw new UsageException(option + " needs a value");
		}
		return args[i];
	}

	private static int positive(String option, String text) {
		try {
			int value = Integer.parseInt(text.replace("_", "").replace(",", ""));
			if (value > 0) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new UsageException(option + " needs a positive whole number, not " + text);
	}

	static final class UsageException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}

	}

}
