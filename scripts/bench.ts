// npm run bench: the benchmark lives in bench/ (bench/main.ts says what it measures and how to size it).
import '../bench/main';
