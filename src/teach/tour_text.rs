//! The tour's texts: every stop of the course in order, in Chinese (the
//! course's language) and English — the Python the course uses, what to
//! watch for, a question to predict, the psh line, and what happened.
//! Data only: `tour.rs` shows and runs them.

/// One text in both languages.
pub struct Text {
    pub zh: &'static str,
    pub en: &'static str,
}

pub struct Stop {
    pub title: Text,
    /// The course's Python, a few lines.
    pub python: &'static str,
    pub watch: Text,
    /// A question to answer before the line runs (on a terminal).
    pub predict: Option<Text>,
    /// What psh runs, in its own process.
    pub line: &'static str,
    pub after: Text,
}

pub const INTRO: Text = Text {
    zh: "psh 课程导览：课程里的每个例子，按顺序。每一步先给出 Python 写法和要观察的地方，然后在 psh 自己的进程里运行对应的 psh 命令，再说明发生了什么。",
    en: "The psh tour: every example of the course, in order. Each stop shows the Python, what to watch for, then runs the psh line in psh's own process and says what happened.",
};

pub const KEYS: Text = Text {
    zh: "回车：下一步    q 回车：结束导览",
    en: "Enter: next stop    q Enter: leave the tour",
};

pub const GUESS: Text = Text {
    zh: "你的预测（直接回车跳过）：",
    en: "Your prediction (Enter to skip): ",
};

pub const YOU_SAID: Text = Text {
    zh: "你的预测：",
    en: "You predicted: ",
};

pub const WATCH: Text = Text {
    zh: "观察：",
    en: "Watch: ",
};

pub const HAPPENED: Text = Text {
    zh: "发生了什么：",
    en: "What happened: ",
};

pub const END: Text = Text {
    zh: "导览结束。`help lab` 列出更多任务：bbuf（有界缓冲区）、sema（信号量）、barrier（屏障）、rwlock（读写锁）。",
    en: "The end of the tour. `help lab` lists more tasks: bbuf (bounded buffer), sema (semaphore), barrier, rwlock (reader-writer lock).",
};

pub const STOPS: &[Stop] = &[
    Stop {
        title: Text { zh: "subprocess.call：运行、等待、取得退出码", en: "subprocess.call: run, wait, get the exit code" },
        python: "rc = subprocess.call([\"ls\", \"-d\", \"/tmp\", \"/no/such\"])\nprint(\"exit code:\", rc)",
        watch: Text {
            zh: "ls 是一个子进程：psh 用 vfork+execve 启动它，用 waitpid 等它结束，把退出状态放进 $?。",
            en: "ls is a child process: psh starts it (vfork+execve), waits for it (waitpid) and puts its exit status in $?.",
        },
        predict: Some(Text { zh: "有一个目录不存在，ls 的退出码是多少？", en: "One directory is missing: what exit code will ls give?" }),
        line: "ls -d /tmp /no/such; echo \"exit code: $?\"",
        after: Text {
            zh: "ls 打印了能打印的，报告了错误，以 2 退出；psh 等它结束，$? 就是 call() 返回的那个数。",
            en: "ls printed what it could, reported the missing one and exited with 2; psh waited, and $? is the number call() returns.",
        },
    },
    Stop {
        title: Text { zh: "shell=True：通过 /bin/sh 运行", en: "shell=True: through /bin/sh" },
        python: "subprocess.call(\"ls -l / | head -3\", shell=True)",
        watch: Text {
            zh: "这里有两个程序：psh 启动 sh，再由 sh 自己解析这一行，运行 ls 和 head。",
            en: "Two programs: psh starts sh, and sh parses the line and runs ls and head itself.",
        },
        predict: None,
        line: "sh -c \"ls -l / | head -3\"",
        after: Text {
            zh: "psh 只看到一个命令 sh；管道是 sh 建的。shell=True 就是这样：多一个 shell 进程。",
            en: "psh saw one command, sh; the pipe was sh's. That is shell=True: one more shell process.",
        },
    },
    Stop {
        title: Text { zh: "Popen 不等待：父进程继续", en: "Popen without wait: the parent goes on" },
        python: "p = subprocess.Popen([\"sleep\", \"1\"])\nprint(\"parent goes on; child pid\", p.pid)",
        watch: Text {
            zh: "spawn … & 在后台启动子进程，立即打印 [作业号] PID，不等待；$! 是子进程的 pid。",
            en: "spawn … & starts the child in the background and prints [job] PID at once, without waiting; $! is the child's pid.",
        },
        predict: Some(Text { zh: "jobs 会显示子进程在运行还是已结束？", en: "Will jobs show the child running or done?" }),
        line: "spawn sleep 1 & echo \"parent goes on; child pid $!\"; jobs",
        after: Text {
            zh: "父进程（psh）马上继续；sleep 还在运行，jobs 显示它为 Running。",
            en: "The parent (psh) went on at once; sleep was still running, and jobs shows it Running.",
        },
    },
    Stop {
        title: Text { zh: "child.wait()：等待并回收子进程", en: "child.wait(): wait for the child and reap it" },
        python: "p = subprocess.Popen([\"sh\", \"-c\", \"sleep 0.3; exit 3\"])\nprint(\"status\", p.wait())",
        watch: Text {
            zh: "wait 阻塞到子进程结束，用 waitpid 回收它（不再是僵尸），返回它的退出状态。",
            en: "wait blocks until the child ends, reaps it with waitpid (no zombie left) and returns its status.",
        },
        predict: Some(Text { zh: "$? 会是多少？", en: "What will $? be?" }),
        line: "sh -c 'sleep 0.3; exit 3' & wait $!; echo \"status: $?\"",
        after: Text {
            zh: "wait 等了大约 0.3 秒，回收了子进程，$? 是它的退出码 3。",
            en: "wait blocked about 0.3 s, reaped the child, and $? is its exit code, 3.",
        },
    },
    Stop {
        title: Text { zh: "PIPE 串联与 communicate()", en: "PIPE chains and communicate()" },
        python: "p1 = Popen([\"ls\", \"-l\", \"/\"], stdout=PIPE)\np2 = Popen([\"wc\", \"-l\"], stdin=p1.stdout, stdout=PIPE)\nout, _ = p2.communicate()",
        watch: Text {
            zh: "| 用 pipe() 连接两个同时运行的进程，数据只经过内核；$(…) 就是 communicate()：psh 从管道读到文件结束。",
            en: "| joins two processes running at once with pipe(); the data goes through the kernel only. $(…) is communicate(): psh reads the pipe to end of file.",
        },
        predict: None,
        line: "ls -l / | wc -l; out=$(ls -l / | wc -l); echo \"communicate() gave: $out\"",
        after: Text {
            zh: "两次得到同样的行数：一次直接打印，一次被 psh 读进变量 out。",
            en: "The same count twice: once printed by wc, once read by psh into the variable out.",
        },
    },
    Stop {
        title: Text { zh: "Thread 与 Process", en: "Thread vs Process" },
        python: "for i in range(4): Thread(target=show).start()    # os.getpid()\nfor i in range(4): Process(target=show).start()",
        watch: Text {
            zh: "线程在 psh 自己的进程里：同一个 PID，不同的 TID。进程是 fork 出来的：每个都有自己的 PID。",
            en: "Threads live in psh's own process: one PID, different TIDs. Processes are forked: each has its own PID.",
        },
        predict: Some(Text { zh: "4 个线程会打印几个不同的 PID？", en: "How many different PIDs will the 4 threads print?" }),
        line: "echo \"psh is pid $$\"; threads 4 worker; procs 4 worker",
        after: Text {
            zh: "线程都打印了 psh 的 PID（一个进程，一份内存）；进程打印了 4 个不同的 PID。",
            en: "The threads all printed psh's own PID (one process, one memory); the processes printed 4 different PIDs.",
        },
    },
    Stop {
        title: Text { zh: "僵尸进程：结束了但还没被回收", en: "Zombies: ended, not yet reaped" },
        python: "p = Process(target=lambda: None); p.start()\ntime.sleep(2)   # p has ended: a zombie until join()\np.join()",
        watch: Text {
            zh: "子进程立刻结束；psh 两秒内不回收它们：ps 看到的状态是 Z <defunct>。waitpid 之后它们就消失了。",
            en: "The children end at once; psh leaves them unreaped for two seconds: ps shows them as Z <defunct>. After waitpid they are gone.",
        },
        predict: None,
        line: "procs 3 zombie",
        after: Text {
            zh: "结束但未回收的进程仍占着进程表的一项；join()/wait 回收它们。",
            en: "An ended, unreaped process still holds a slot in the process table; join()/wait reaps it.",
        },
    },
    Stop {
        title: Text { zh: "signal.alarm：定时器与信号处理", en: "signal.alarm: a timer and a handler" },
        python: "def handler(signum, frame): print(\"Now, it's the time\")\nsignal.signal(signal.SIGALRM, handler)\nsignal.alarm(1)",
        watch: Text {
            zh: "alarm 用 setitimer 定时；SIGALRM 到来时 psh 只做记录，处理块在两条命令之间运行，不在信号处理函数里。",
            en: "alarm arms a timer (setitimer); when SIGALRM comes psh only records it, and the block runs between two commands, never inside the signal handler.",
        },
        predict: Some(Text { zh: "\"Now\" 会出现在第几行 not yet 之后？", en: "After which \"not yet\" line will \"Now\" appear?" }),
        line: "alarm 0.3 < echo \"Now, it's the time\" >; for i in 1 2 3 4 5 { echo \"not yet $i\"; sleep 0.1 }",
        after: Text {
            zh: "大约 0.3 秒后信号到达，处理块在循环的两条命令之间运行，然后循环继续。",
            en: "The signal came after about 0.3 s; the block ran between two commands of the loop, and the loop went on.",
        },
    },
    Stop {
        title: Text { zh: "售票亭：10 个线程，一把 Lock", en: "The booth: threads selling tickets under a Lock" },
        python: "with lock:\n    if tickets > 0:\n        tickets -= 1\n        print(tid, \":now left:\", tickets)",
        watch: Text {
            zh: "每卖一张票都在锁里完成：读、减一、打印。每个数字只出现一次，从大到小。",
            en: "Each sale happens under the lock: read, subtract, print. Each number appears once, counting down.",
        },
        predict: None,
        line: "threads 3 booth 9",
        after: Text {
            zh: "9 张票每张只卖一次；摘要里的 per worker 是每个线程卖了几张。",
            en: "9 tickets, each sold exactly once; the summary's per worker says how many each thread sold.",
        },
    },
    Stop {
        title: Text { zh: "去掉锁：竞争条件", en: "Without the lock: a race" },
        python: "if tickets > 0:          # no lock\n    n = tickets\n    time.sleep(0)        # the interpreter may switch threads here\n    tickets = n - 1",
        watch: Text {
            zh: "读和写之间让出 CPU：两个线程可能读到同一个值，一次更新丢失。摘要说明卖重了哪些号，状态为 1。",
            en: "A yield between read and write: two threads may read the same value and one update is lost. The summary names the repeated numbers; status 1.",
        },
        predict: Some(Text { zh: "100 张票会每张只卖一次吗？", en: "Will the 100 tickets each be sold exactly once?" }),
        line: "threads 10 booth 100 --nolock --quiet",
        after: Text {
            zh: "卖出的数量不对：有的号被卖了两次。再运行一次，结果又不同——这就是竞争。",
            en: "The count is wrong: some numbers were sold twice. Run it again and the result differs — that is a race.",
        },
    },
    Stop {
        title: Text { zh: "一步一步：调度器能做什么", en: "Step by step: what a scheduler may do" },
        python: "# T0: n = tickets    T1: n = tickets    T0: tickets = n-1    T1: tickets = n-1",
        watch: Text {
            zh: "--seed 让真实线程一次只走一步（读、写、打印），表格每行一步：共享的 left 和每个线程自己的副本。",
            en: "--seed lets the real threads move one step at a time (read, write, print); a row per step: the shared left and each thread's own copy.",
        },
        predict: None,
        line: "threads 2 booth 3 --nolock --seed 1",
        after: Text {
            zh: "看两个线程读到同一个 left 的那几行：之后有一次写被覆盖了。同一个种子每次都得到同样的表。",
            en: "Find the rows where both threads read the same left: one write is then overwritten. The same seed gives the same table every time.",
        },
    },
    Stop {
        title: Text { zh: "Condition：wait / notify / notify_all", en: "Condition: wait / notify / notify_all" },
        python: "with cv:\n    while not items: cv.wait()\n    item = items.pop(0)\n# producer: with cv: items.append(x); cv.notify()",
        watch: Text {
            zh: "wait() 解锁并睡眠，被唤醒后重新加锁。notify 唤醒一个，notify_all 唤醒全部：白白醒来的次数不同。",
            en: "wait() unlocks and sleeps, and relocks when woken. notify wakes one, notify_all wakes all: compare the wasted wake-ups.",
        },
        predict: Some(Text { zh: "哪一个浪费的唤醒更多？", en: "Which wastes more wake-ups?" }),
        line: "threads 3 cond 6 --quiet; threads 3 cond 6 --notify-all --quiet",
        after: Text {
            zh: "notify_all 每次叫醒所有消费者，只有一个拿到东西，其他的是浪费的唤醒。",
            en: "notify_all wakes every consumer each time; one gets the item, the others are wasted wake-ups.",
        },
    },
    Stop {
        title: Text { zh: "用 Pipe/Queue 代替共享状态", en: "Pipe/Queue instead of shared state" },
        python: "q = Queue()\nfor t in range(12): q.put(t)\n# each Process: while True: t = q.get() ...",
        watch: Text {
            zh: "psh 把票号写进一个管道，子进程从管道读：没有共享内存，也不需要锁，每张票正好卖一次。",
            en: "psh writes the ticket numbers into a pipe and the children read them: no shared memory, no lock, each ticket sold once.",
        },
        predict: None,
        line: "procs 3 booth 12",
        after: Text {
            zh: "管道的 8 字节读是原子的：每张票只被一个进程读到。",
            en: "An 8-byte read from a pipe is atomic: each ticket reaches exactly one process.",
        },
    },
    Stop {
        title: Text { zh: "进程不共享内存", en: "Processes do not share memory" },
        python: "tickets = 4\ndef sell(): global tickets; ...   # each Process sells from its own copy",
        watch: Text {
            zh: "fork 复制内存（写时复制）：每个子进程都有自己的计数器，所以每个进程都把 4 张票全卖了一遍。",
            en: "fork copies memory (copy-on-write): each child has its own counter, so every process sells all 4 tickets.",
        },
        predict: Some(Text { zh: "3 个进程一共会卖出几张票？", en: "How many tickets will 3 processes sell in all?" }),
        line: "procs 3 booth 4 --shared",
        after: Text {
            zh: "一共卖出 12 张：一个进程对计数器的修改，其他进程看不到。",
            en: "12 in all: what one process does to its counter, the others never see.",
        },
    },
    Stop {
        title: Text { zh: "死锁：哲学家就餐", en: "Deadlock: the dining philosophers" },
        python: "with forks[i]:\n    time.sleep(0.01)\n    with forks[(i + 1) % n]:\n        eat()",
        watch: Text {
            zh: "每人先拿左边的叉子，再拿右边的：所有人都拿着一把、等着下一把。psh 的看门狗找出这个环并释放它们（状态 3）。按编号顺序拿叉子就不会死锁。",
            en: "Each takes the left fork, then the right: everyone holds one and waits for the next. psh's watchdog finds the cycle and releases them (status 3). Taking the lower-numbered fork first never deadlocks.",
        },
        predict: None,
        line: "threads 3 philo --quiet; threads 3 philo --order ordered --quiet",
        after: Text {
            zh: "第一次：一个等待环 T0→T1→T2→T0。第二次：环不可能形成，每个人都吃完了。",
            en: "First: a cycle of waits T0→T1→T2→T0. Second: no cycle can form, and everyone ate every meal.",
        },
    },
];
