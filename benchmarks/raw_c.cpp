// The baseline: the same system calls as the language benchmarks, in a plain
// C loop with no binding in between. Prints "<op> <ns_per_op>" lines.
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

double now_ns() {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

// Runs `body` in batches until about half a second has passed; best of 3.
template <class F>
double ns_per_op(F&& body) {
    double best = 1e300;
    for (int round = 0; round < 3; ++round) {
        long iterations = 0;
        const double start = now_ns();
        double elapsed = 0;
        do {
            for (int i = 0; i < 1000; ++i) body();
            iterations += 1000;
            elapsed = now_ns() - start;
        } while (elapsed < 0.5e9 / 3);
        if (elapsed / iterations < best) best = elapsed / iterations;
    }
    return best;
}

volatile long sink;

}  // namespace

int main() {
    const std::string sem_name = "/bench_raw_sem_" + std::to_string(getpid());
    const std::string mq_name = "/bench_raw_mq_" + std::to_string(getpid());
    sem_t* sem = sem_open(sem_name.c_str(), O_CREAT | O_EXCL, 0600, 1);
    struct mq_attr attr {};
    attr.mq_maxmsg = 10;
    attr.mq_msgsize = 8192;
    mqd_t mq = mq_open(mq_name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    if (sem == SEM_FAILED || mq == (mqd_t)-1) {
        perror("open");
        return 1;
    }
    std::vector<char> buffer(8192), message64(64, 'x'), message4k(4096, 'x');
    unsigned priority;

    std::printf("sem_pair %.1f\n", ns_per_op([&] {
                    sem_wait(sem);
                    sem_post(sem);
                }));
    std::printf("mq_64 %.1f\n", ns_per_op([&] {
                    mq_send(mq, message64.data(), message64.size(), 0);
                    sink = mq_receive(mq, buffer.data(), buffer.size(), &priority);
                }));
    std::printf("mq_4096 %.1f\n", ns_per_op([&] {
                    mq_send(mq, message4k.data(), message4k.size(), 0);
                    sink = mq_receive(mq, buffer.data(), buffer.size(), &priority);
                }));
    // `with sem:` is the same pair of calls.
    std::printf("sem_with %.1f\n", ns_per_op([&] {
                    sem_wait(sem);
                    sem_post(sem);
                }));
    const std::string shm_name = "/bench_raw_shm_" + std::to_string(getpid());
    std::printf("shm_lifecycle %.1f\n", ns_per_op([&] {
                    const int fd = shm_open(shm_name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
                    sink = ftruncate(fd, 4096);
                    close(fd);
                    shm_unlink(shm_name.c_str());
                }));
    std::printf("sem_value %.1f\n", ns_per_op([&] {
                    int value;
                    sem_getvalue(sem, &value);
                    sink = value;
                }));
    std::printf("mq_current_messages %.1f\n", ns_per_op([&] {
                    struct mq_attr now;
                    mq_getattr(mq, &now);
                    sink = now.mq_curmsgs;
                }));
    sem_close(sem);
    sem_unlink(sem_name.c_str());
    mq_close(mq);
    mq_unlink(mq_name.c_str());
    return 0;
}
