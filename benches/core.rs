//! Native benchmarks of the pure core at 10², 10³, 10⁴ and 10⁵ annotations on
//! a 1 MB generated article: segmenting, the reducer, the storage codec.
//! Run: `make bench-native` (`cargo bench --bench core`).

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::rc::Rc;
    use std::sync::OnceLock;

    use claimmark::core::persist::{decode_record, encode_record, record_of};
    use claimmark::core::{segments, workload, Action, Annotation, Article, State, Tag, Timestamp};
    use divan::Bencher;

    const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];

    struct Fixture {
        article: Rc<Article>,
        sets: Vec<Vec<Annotation>>,
    }

    // Rc is not Sync; the benches run on one thread, so keep the fixture per thread.
    thread_local! {
        static FIXTURE: Fixture = {
            let article = Rc::new(workload::article(1 << 20, 42));
            let sets = SIZES.iter().map(|&n| workload::annotations(&article, n, 7)).collect();
            Fixture { article, sets }
        };
    }

    static WARM: OnceLock<()> = OnceLock::new();

    fn with<R>(n: usize, f: impl FnOnce(&Rc<Article>, &[Annotation]) -> R) -> R {
        WARM.get_or_init(|| ());
        FIXTURE.with(|fx| {
            let i = SIZES.iter().position(|&s| s == n).unwrap();
            f(&fx.article, &fx.sets[i])
        })
    }

    #[divan::bench(args = SIZES)]
    fn segment(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            bencher.bench_local(|| segments(article, divan::black_box(list)));
        });
    }

    #[divan::bench(args = SIZES)]
    fn reducer_create_then_undo(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            let state = State::new(article.clone(), list.to_vec());
            let extra = workload::annotations(article, 1, 99).remove(0);
            bencher.bench_local(|| {
                let mut s = state.clone();
                s.reduce(Action::Create(extra.clone()));
                s.reduce(Action::SetTag {
                    id: extra.id.clone(),
                    tag: Tag::Quote,
                    now: Timestamp(1),
                });
                s.reduce(Action::Undo { now: Timestamp(2) });
                s
            });
        });
    }

    #[divan::bench(args = SIZES)]
    fn storage_encode(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            let state = State::new(article.clone(), list.to_vec());
            bencher.bench_local(|| encode_record(&record_of(&state, Timestamp(1))));
        });
    }

    #[divan::bench(args = SIZES)]
    fn storage_decode(bencher: Bencher, n: usize) {
        with(n, |article, list| {
            let state = State::new(article.clone(), list.to_vec());
            let raw = encode_record(&record_of(&state, Timestamp(1)));
            bencher.bench_local(|| decode_record(divan::black_box(&raw)).unwrap());
        });
    }

    pub fn main() {
        divan::main();
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::main();
}
