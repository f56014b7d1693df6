"""mathcore: the mathematics of ridge regression through Lagrange multipliers.

One convention everywhere (see DESIGN.md): f(w) = ½ (w − c)ᵀ H (w − c) + f₀, penalty
(λ/2)||w||², constraint ||w||² ≤ k with g(w) = ½||w||², so ∇f(w*) = −λ ∇g(w*) at the optimum.
"""

from ._validate import MathcoreError
from .data import Prepared, loss_from_columns, prepare
from .geometry import (
    GradientRun,
    angle_of,
    circle,
    circle_tangent,
    constraint_grad,
    descent_arc,
    descent_direction,
    descent_start,
    f_on_circle,
    gradient_descent,
    l1_ball,
    level_set,
    level_set_through,
    level_values,
    loss_surface,
    point_on_circle,
    project_to_ball,
    tangential_gradient,
    tangential_share,
)
from .lasso import solve_constrained_l1, solve_lasso, sparse_budget
from .loss import QuadraticLoss
from .ridge import (
    ConstrainedSolution,
    EigenShrinkage,
    OptimalValueCurve,
    budget_of_lambda,
    eigen_shrinkage,
    multiplier_for_budget,
    optimal_value_curve,
    path_is_straight,
    ridge_path,
    solve_constrained,
    solve_penalized,
)

__all__ = [
    "ConstrainedSolution",
    "EigenShrinkage",
    "GradientRun",
    "MathcoreError",
    "OptimalValueCurve",
    "Prepared",
    "QuadraticLoss",
    "angle_of",
    "budget_of_lambda",
    "circle",
    "circle_tangent",
    "constraint_grad",
    "descent_arc",
    "descent_direction",
    "descent_start",
    "eigen_shrinkage",
    "f_on_circle",
    "gradient_descent",
    "l1_ball",
    "level_set",
    "level_set_through",
    "level_values",
    "loss_from_columns",
    "loss_surface",
    "multiplier_for_budget",
    "optimal_value_curve",
    "path_is_straight",
    "point_on_circle",
    "prepare",
    "project_to_ball",
    "ridge_path",
    "solve_constrained",
    "solve_constrained_l1",
    "solve_lasso",
    "solve_penalized",
    "sparse_budget",
    "tangential_gradient",
    "tangential_share",
]
