//! Stage 1: how many shifts of each template each location runs each day.

use good_lp::{
    constraint, variable, Constraint, Expression, ProblemVariables, Solution, SolverModel, Variable,
};

use super::index::{Cell, Index};
use super::model::{Problem, RosterError};
use super::Mode;

/// The week's LP relaxation: its objective (a lower bound) and its fractional counts.
pub struct Relaxation {
    pub objective: f64,
    /// Per cell, per template of the cell.
    pub counts: Vec<Vec<f64>>,
}

/// The integer counts, and the bound from solving every cell exactly (when done).
pub struct Chosen {
    pub counts: Vec<Vec<u32>>,
    pub cell_bound: Option<f64>,
}

/// Which needs of a cell each of its templates is on duty for.
fn duty(problem: &Problem, index: &Index, cell: &Cell) -> Vec<Vec<bool>> {
    cell.templates
        .iter()
        .map(|t| {
            cell.needs
                .iter()
                .map(|n| index.covers(problem, *t, cell.site, n.start))
                .collect()
        })
        .collect()
}

/// The cost of a cell's needs given its counts (travel counted as beyond the home staff,
/// the least any assignment can have).
fn cell_cost(problem: &Problem, cell: &Cell, duty: &[Vec<bool>], counts: &[u32]) -> f64 {
    let w = &problem.weights;
    let mut cost = 0.0;
    for (r, need) in cell.needs.iter().enumerate() {
        let on: u32 = counts
            .iter()
            .zip(duty)
            .filter(|(_, d)| d[r])
            .map(|(n, _)| *n)
            .sum();
        cost += w.uncovered * f64::from(need.staff.saturating_sub(on));
        cost += w.over * f64::from(on.saturating_sub(need.staff));
    }
    let shifts: u32 = counts.iter().sum();
    cost + w.travel * f64::from(shifts.saturating_sub(cell.home))
}

/// The variables and constraints of one cell, added to a model.
struct CellModel {
    x: Vec<Variable>,
    constant: f64,
}

fn add_cell(
    problem: &Problem,
    cell: &Cell,
    duty: &[Vec<bool>],
    integer: bool,
    vars: &mut ProblemVariables,
    objective: &mut Expression,
    constraints: &mut Vec<Constraint>,
) -> CellModel {
    let w = &problem.weights;
    let cap = f64::from(cell.available);
    let x: Vec<Variable> = cell
        .templates
        .iter()
        .map(|_| {
            let v = variable().min(0.0).max(cap);
            vars.add(if integer { v.integer() } else { v })
        })
        .collect();
    let mut constant = 0.0;
    for (r, need) in cell.needs.iter().enumerate() {
        let mut on = Expression::from(0.0);
        for (k, xk) in x.iter().enumerate() {
            if duty[k][r] {
                on += *xk;
            }
        }
        if x.is_empty() || duty.iter().all(|d| !d[r]) {
            constant += w.uncovered * f64::from(need.staff);
            continue;
        }
        let under = vars.add(variable().min(0.0));
        let over = vars.add(variable().min(0.0));
        *objective += w.uncovered * under + w.over * over;
        constraints.push(constraint!(on + under - over == f64::from(need.staff)));
    }
    if !x.is_empty() {
        let total: Expression = x.iter().copied().sum();
        constraints.push(constraint!(total.clone() <= cap));
        let travel = vars.add(variable().min(0.0));
        *objective += w.travel * travel;
        constraints.push(constraint!(travel >= total - f64::from(cell.home)));
    }
    *objective += constant;
    CellModel { x, constant }
}

fn minimise(
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    read: &[Vec<Variable>],
) -> Result<(f64, Vec<Vec<f64>>), RosterError> {
    let goal = objective.clone();
    #[cfg(feature = "highs")]
    let model = vars.minimise(objective).using(good_lp::highs);
    #[cfg(not(feature = "highs"))]
    let model = vars.minimise(objective).using(good_lp::microlp);
    let model = constraints.into_iter().fold(model, |m, c| m.with(c));
    let solution = model
        .solve()
        .map_err(|e| RosterError::Solver(e.to_string()))?;
    let values = read
        .iter()
        .map(|xs| xs.iter().map(|x| solution.value(*x)).collect())
        .collect();
    Ok((goal.eval_with(&solution), values))
}

/// The LP relaxation of the whole week's counts, every coupling kept.
pub fn relaxation(problem: &Problem, index: &Index) -> Result<Relaxation, RosterError> {
    let mut vars = ProblemVariables::new();
    let mut objective = Expression::from(0.0);
    let mut constraints = Vec::new();
    let mut xs = Vec::new();
    let mut hours = Expression::from(0.0);
    let mut shifts = Expression::from(0.0);
    for cell in &index.cells {
        let d = duty(problem, index, cell);
        let m = add_cell(
            problem,
            cell,
            &d,
            false,
            &mut vars,
            &mut objective,
            &mut constraints,
        );
        for (k, x) in m.x.iter().enumerate() {
            hours += problem.templates[cell.templates[k]].paid_minutes() as f64 * *x;
            shifts += *x;
        }
        xs.push(m.x);
    }
    for date in &problem.dates {
        let mut day = Expression::from(0.0);
        let mut any = false;
        for (c, cell) in index.cells.iter().enumerate() {
            if cell.date == *date {
                for x in &xs[c] {
                    day += *x;
                    any = true;
                }
            }
        }
        if any {
            let cap = f64::from(index.available_on.get(date).copied().unwrap_or(0));
            constraints.push(constraint!(day <= cap));
        }
    }
    if xs.iter().any(|x| !x.is_empty()) {
        let (max_minutes, max_shifts) = week_capacity(problem);
        constraints.push(constraint!(hours <= max_minutes));
        constraints.push(constraint!(shifts <= max_shifts));
    }
    let (objective, counts) = minimise(vars, objective, constraints, &xs)?;
    Ok(Relaxation { objective, counts })
}

/// All contracted minutes, and the most shifts everyone together can work in the week.
fn week_capacity(problem: &Problem) -> (f64, f64) {
    let shortest = problem
        .templates
        .iter()
        .map(|t| t.paid_minutes().max(1))
        .min()
        .unwrap_or(1);
    let mut minutes = 0.0;
    let mut shifts = 0.0;
    for w in &problem.workers {
        minutes += f64::from(w.contract_minutes);
        let days = problem.dates.iter().filter(|d| !w.is_absent(**d)).count() as i64;
        shifts += (i64::from(w.contract_minutes) / shortest).min(days) as f64;
    }
    (minutes, shifts)
}

/// Integer counts per cell, then cut back where the days and the week cannot staff them.
pub fn integer(
    problem: &Problem,
    index: &Index,
    relaxation: &Relaxation,
    mode: Mode,
) -> Result<Chosen, RosterError> {
    let duties: Vec<Vec<Vec<bool>>> = index
        .cells
        .iter()
        .map(|c| duty(problem, index, c))
        .collect();
    let mut counts = Vec::with_capacity(index.cells.len());
    let mut bound = 0.0;
    for (c, cell) in index.cells.iter().enumerate() {
        let chosen = match mode {
            Mode::Exact => {
                let (value, x) = exact_cell(problem, cell, &duties[c])?;
                bound += value;
                x
            }
            Mode::Rounded => rounded_cell(problem, cell, &duties[c], &relaxation.counts[c]),
        };
        counts.push(chosen);
    }
    couple(problem, index, &duties, &mut counts);
    Ok(Chosen {
        counts,
        cell_bound: (mode == Mode::Exact).then_some(bound),
    })
}

/// A cell's MIP solved to optimality; its value and counts.
fn exact_cell(
    problem: &Problem,
    cell: &Cell,
    duty: &[Vec<bool>],
) -> Result<(f64, Vec<u32>), RosterError> {
    if cell.templates.is_empty() {
        return Ok((cell_cost(problem, cell, duty, &[]), Vec::new()));
    }
    let mut vars = ProblemVariables::new();
    let mut objective = Expression::from(0.0);
    let mut constraints = Vec::new();
    let m = add_cell(
        problem,
        cell,
        duty,
        true,
        &mut vars,
        &mut objective,
        &mut constraints,
    );
    let _ = m.constant;
    let (value, x) = minimise(vars, objective, constraints, &[m.x])?;
    let counts: Vec<u32> = x[0].iter().map(|v| v.round().max(0.0) as u32).collect();
    // The solver's value is the optimum; the rounded counts are checked against it.
    let cost = cell_cost(problem, cell, duty, &counts);
    Ok((value.min(cost), counts))
}

/// The relaxation's counts rounded down, then shifts added while each addition pays.
fn rounded_cell(problem: &Problem, cell: &Cell, duty: &[Vec<bool>], lp: &[f64]) -> Vec<u32> {
    let mut counts: Vec<u32> = lp
        .iter()
        .map(|v| (v + 1e-6).floor().max(0.0) as u32)
        .collect();
    let mut cost = cell_cost(problem, cell, duty, &counts);
    while counts.iter().sum::<u32>() < cell.available {
        let best = (0..counts.len())
            .map(|k| {
                counts[k] += 1;
                let c = cell_cost(problem, cell, duty, &counts);
                counts[k] -= 1;
                (c, k)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((c, k)) if c < cost - 1e-9 => {
                counts[k] += 1;
                cost = c;
            }
            _ => break,
        }
    }
    counts
}

/// Removes shifts, cheapest loss first, until every day has the staff for its shifts and
/// the week's shifts and hours fit the contracts.
fn couple(problem: &Problem, index: &Index, duties: &[Vec<Vec<bool>>], counts: &mut [Vec<u32>]) {
    for date in &problem.dates {
        let cap = index.available_on.get(date).copied().unwrap_or(0);
        let on_day = |counts: &[Vec<u32>]| -> u32 {
            index
                .cells
                .iter()
                .enumerate()
                .filter(|(_, cell)| cell.date == *date)
                .map(|(c, _)| counts[c].iter().sum::<u32>())
                .sum()
        };
        while on_day(counts) > cap {
            if !drop_cheapest(problem, index, duties, counts, |cell| cell.date == *date) {
                break;
            }
        }
    }
    let (max_minutes, max_shifts) = week_capacity(problem);
    loop {
        let (mut minutes, mut shifts) = (0.0, 0.0);
        for (c, cell) in index.cells.iter().enumerate() {
            for (k, n) in counts[c].iter().enumerate() {
                minutes +=
                    f64::from(*n) * problem.templates[cell.templates[k]].paid_minutes() as f64;
                shifts += f64::from(*n);
            }
        }
        if (minutes <= max_minutes && shifts <= max_shifts)
            || !drop_cheapest(problem, index, duties, counts, |_| true)
        {
            break;
        }
    }
}

fn drop_cheapest(
    problem: &Problem,
    index: &Index,
    duties: &[Vec<Vec<bool>>],
    counts: &mut [Vec<u32>],
    among: impl Fn(&Cell) -> bool,
) -> bool {
    let mut best: Option<(f64, usize, usize)> = None;
    for (c, cell) in index
        .cells
        .iter()
        .enumerate()
        .filter(|(_, cell)| among(cell))
    {
        let before = cell_cost(problem, cell, &duties[c], &counts[c]);
        for k in 0..counts[c].len() {
            if counts[c][k] == 0 {
                continue;
            }
            counts[c][k] -= 1;
            let loss = cell_cost(problem, cell, &duties[c], &counts[c]) - before;
            counts[c][k] += 1;
            if best.is_none_or(|(b, _, _)| loss < b) {
                best = Some((loss, c, k));
            }
        }
    }
    match best {
        Some((_, c, k)) => {
            counts[c][k] -= 1;
            true
        }
        None => false,
    }
}
